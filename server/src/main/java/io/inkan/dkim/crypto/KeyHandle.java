package io.inkan.dkim.crypto;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;

/**
 * A private key to sign with: held in this process ({@link SigningKey}) or on a signer node ({@link
 * RemoteKey}), whose private half this process never sees.
 */
public sealed interface KeyHandle permits SigningKey, RemoteKey {

  /** RSA or Ed25519. */
  KeyType type();

  /** The RSA modulus length, 256 for Ed25519. */
  int bits();

  /** The algorithm this key signs with: rsa-sha256 or ed25519-sha256 (never rsa-sha1). */
  default DkimAlgorithm defaultAlgorithm() {
    return type() == KeyType.RSA ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256;
  }
}
