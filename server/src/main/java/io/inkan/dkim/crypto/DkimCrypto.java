package io.inkan.dkim.crypto;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.EnumMap;
import java.util.Map;

/**
 * The signature operation over a canonical header block (RFC 6376 §3.7). RSA signs the block with
 * SHA256withRSA (or verifies SHA1withRSA); Ed25519 signs the SHA-256 digest of the block as its
 * message, as RFC 8463 §3 specifies. {@link Signature} objects are kept per thread.
 */
public final class DkimCrypto {
  private static final ThreadLocal<Map<DkimAlgorithm, Signature>> SIGNATURES =
      ThreadLocal.withInitial(() -> new EnumMap<>(DkimAlgorithm.class));

  private static final String NONE_WITH_RSA = "NONEwithRSA";

  /** The DER DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1). */
  private static final byte[] SHA256_DIGEST_INFO = {
    0x30,
    0x31,
    0x30,
    0x0d,
    0x06,
    0x09,
    0x60,
    (byte) 0x86,
    0x48,
    0x01,
    0x65,
    0x03,
    0x04,
    0x02,
    0x01,
    0x05,
    0x00,
    0x04,
    0x20
  };

  private DkimCrypto() {}

  /** Signs a canonical header block; never rsa-sha1 (RFC 8301 §3.1). */
  public static byte[] sign(DkimAlgorithm algorithm, PrivateKey key, byte[] headerBlock)
      throws GeneralSecurityException {
    if (algorithm == DkimAlgorithm.RSA_SHA1) {
      throw new GeneralSecurityException("refusing to sign with rsa-sha1 (RFC 8301)");
    }
    Signature s = signature(algorithm);
    s.initSign(key);
    s.update(message(algorithm, headerBlock));
    return s.sign();
  }

  /**
   * Whether this process can sign the SHA-256 digest of a header block rather than the block:
   * always for Ed25519 (RFC 8463 §3 signs the digest), for RSA only when the chosen provider offers
   * raw PKCS#1 v1.5 over a DigestInfo ({@code NONEwithRSA}; the accelerated provider does not).
   */
  public static boolean signsDigest(KeyType type) {
    return type == KeyType.ED25519
        || CryptoProviders.get().provider(KeyType.RSA).getService("Signature", NONE_WITH_RSA)
            != null;
  }

  /** The SHA-256 digest a {@link #signDigest} call takes for a header block. */
  public static byte[] digest(byte[] headerBlock) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-256").digest(headerBlock);
  }

  /**
   * Signs the SHA-256 digest of a header block, giving the same signature {@link #sign} gives for
   * the block: Ed25519 signs the digest as its message, RSA signs the DER DigestInfo (RFC 8017
   * §9.2) with raw PKCS#1 v1.5 padding (Bouncy Castle's when the chosen provider has none: correct,
   * if slower, so a node asked for a digest by a front-end that expected another provider still
   * answers).
   */
  public static byte[] signDigest(DkimAlgorithm algorithm, PrivateKey key, byte[] sha256)
      throws GeneralSecurityException {
    if (algorithm == DkimAlgorithm.RSA_SHA1 || sha256.length != 32) {
      throw new GeneralSecurityException("only a 32-byte SHA-256 digest is signed");
    }
    if (algorithm.keyType() == KeyType.ED25519) {
      Signature s = signature(algorithm);
      s.initSign(key);
      s.update(sha256);
      return s.sign();
    }
    java.security.Provider p = CryptoProviders.get().provider(KeyType.RSA);
    Signature s =
        Signature.getInstance(
            NONE_WITH_RSA,
            p.getService("Signature", NONE_WITH_RSA) != null ? p : CryptoProviders.bouncyCastle());
    s.initSign(key);
    s.update(SHA256_DIGEST_INFO);
    s.update(sha256);
    return s.sign();
  }

  /** Verifies {@code sig} over a canonical header block; false on any mismatch or bad encoding. */
  public static boolean verify(
      DkimAlgorithm algorithm, PublicKey key, byte[] headerBlock, byte[] sig) {
    try {
      Signature s = signature(algorithm);
      s.initVerify(key);
      s.update(message(algorithm, headerBlock));
      return s.verify(sig);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static byte[] message(DkimAlgorithm algorithm, byte[] headerBlock)
      throws GeneralSecurityException {
    if (algorithm.keyType() == KeyType.ED25519) {
      return MessageDigest.getInstance("SHA-256").digest(headerBlock);
    }
    return headerBlock;
  }

  private static Signature signature(DkimAlgorithm algorithm) throws GeneralSecurityException {
    Map<DkimAlgorithm, Signature> cache = SIGNATURES.get();
    Signature s = cache.get(algorithm);
    if (s == null) {
      String name =
          switch (algorithm) {
            case RSA_SHA256 -> "SHA256withRSA";
            case RSA_SHA1 -> "SHA1withRSA";
            case ED25519_SHA256 -> "Ed25519";
          };
      s = Signature.getInstance(name, CryptoProviders.get().provider(algorithm.keyType()));
      cache.put(algorithm, s);
    }
    return s;
  }
}
