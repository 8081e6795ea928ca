/** Interop tests: independent DKIM implementations verify Inkan's signatures and sign for it. */
package io.inkan.interop;
