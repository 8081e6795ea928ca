package io.inkan.dkim.crypto;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.ASN1Primitive;

/** Decodes a key record's {@code p=} bytes (RFC 6376 §3.6.1, RFC 8463 §4). */
public final class PublicKeys {
  /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
  private static final byte[] ED25519_SPKI_PREFIX = {
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
  };

  private PublicKeys() {}

  /**
   * RSA: SubjectPublicKeyInfo or a bare PKCS#1 RSAPublicKey. Ed25519: exactly 32 raw bytes.
   *
   * @throws GeneralSecurityException with a reason when the bytes are no such key
   */
  public static PublicKey decode(KeyType type, byte[] p) throws GeneralSecurityException {
    KeyFactory factory =
        KeyFactory.getInstance(
            CryptoProviders.keyAlgorithm(type), CryptoProviders.get().keyProvider(type));
    if (type == KeyType.ED25519) {
      if (p.length != 32) {
        throw new GeneralSecurityException("ed25519 key must be 32 bytes, p= has " + p.length);
      }
      byte[] spki = new byte[ED25519_SPKI_PREFIX.length + 32];
      System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
      System.arraycopy(p, 0, spki, ED25519_SPKI_PREFIX.length, 32);
      return factory.generatePublic(new X509EncodedKeySpec(spki));
    }
    try {
      return factory.generatePublic(new X509EncodedKeySpec(p));
    } catch (GeneralSecurityException spkiFailed) {
      try {
        var rsa =
            org.bouncycastle.asn1.pkcs.RSAPublicKey.getInstance(ASN1Primitive.fromByteArray(p));
        return factory.generatePublic(
            new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
      } catch (IOException | IllegalArgumentException | ClassCastException e) {
        throw new GeneralSecurityException("p= is not an RSA public key");
      }
    }
  }

  /** Key size in bits: the RSA modulus length, 256 for Ed25519. */
  public static int bits(PublicKey key) {
    return key instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : 256;
  }
}
