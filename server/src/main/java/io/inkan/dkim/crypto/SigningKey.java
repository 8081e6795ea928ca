package io.inkan.dkim.crypto;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.security.PrivateKey;
import java.util.Base64;

/**
 * A parsed private key, already in the chosen provider's form, with the public half as a key
 * record's {@code p=} publishes it.
 *
 * @param type RSA or Ed25519
 * @param privateKey the provider's key object
 * @param publicKey {@code p=} bytes: SubjectPublicKeyInfo DER for RSA, the raw 32 bytes for Ed25519
 * @param bits the RSA modulus length, 256 for Ed25519
 */
public record SigningKey(KeyType type, PrivateKey privateKey, byte[] publicKey, int bits)
    implements KeyHandle {

  /** The {@code p=} value in base64. */
  public String publicKeyBase64() {
    return Base64.getEncoder().encodeToString(publicKey);
  }

  @Override
  public String toString() {
    return "SigningKey[" + type + ", " + bits + " bits]";
  }
}
