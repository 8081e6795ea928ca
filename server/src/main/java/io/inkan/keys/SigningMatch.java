package io.inkan.keys;

import java.util.Optional;

/**
 * A SigningTable hit: the KeyTable name to sign with and the optional signer identity.
 *
 * @param keyName the KeyTable key, {@code %} already replaced by the sender's domain
 * @param signer the {@code i=} value, {@code %} already replaced, when the entry gives one
 */
public record SigningMatch(String keyName, Optional<String> signer) {}
