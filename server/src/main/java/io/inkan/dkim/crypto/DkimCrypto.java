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
