package io.inkan.policy;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.crypto.KeyHandle;
import io.inkan.keys.DomainKeySource.KeyOptions;
import java.util.Optional;

/**
 * A key chosen to sign one sender's mail, with everything the signature field needs.
 *
 * @param ref how a signer finds the key again
 * @param domain {@code d=}
 * @param selector {@code s=}
 * @param key the private key, or a handle to it on a signer node
 * @param algorithm {@code a=}
 * @param identity {@code i=}, when the SigningTable or the directory gives one
 * @param options the key's own options (directory keys); defaults otherwise
 */
public record ChosenKey(
    KeyRef ref,
    String domain,
    String selector,
    KeyHandle key,
    DkimAlgorithm algorithm,
    Optional<String> identity,
    KeyOptions options) {

  /**
   * How to find a chosen key again, on any node that has the tables.
   *
   * @param directory true for a SigningDirectory entry, false for a KeyTable entry
   * @param name the KeyTable name, or the directory entry's name (its DN)
   * @param fromDomain the sender's domain the key was chosen for ({@code %} in the KeyTable)
   */
  public record KeyRef(boolean directory, String name, String fromDomain) {}
}
