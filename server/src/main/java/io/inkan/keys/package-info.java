/** Keys: KeyTable and SigningTable semantics, key loading and caching, new key pairs (genkey). */
package io.inkan.keys;
