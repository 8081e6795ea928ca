/**
 * Clustered nodes: front-ends ask signer nodes over Vert.x's clustered event bus, over mutual TLS.
 */
package io.inkan.runtime.cluster;
