/** Pure RFC 6376/8463 DKIM engine: tag lists, canonicalizers, signer, verifier and results. */
package io.inkan.dkim;
