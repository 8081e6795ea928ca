package io.inkan.keys;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.crypto.SigningKey;

/**
 * A KeyTable entry resolved for one sender: everything a signature needs.
 *
 * @param keyName the KeyTable key
 * @param domain {@code d=}, with {@code %} replaced by the sender's domain
 * @param selector {@code s=}
 * @param key the parsed private key
 * @param algorithm the entry's algorithm, or the key's default
 */
public record ResolvedKey(
    String keyName, String domain, String selector, SigningKey key, DkimAlgorithm algorithm) {}
