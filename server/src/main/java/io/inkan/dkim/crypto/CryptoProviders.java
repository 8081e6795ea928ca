package io.inkan.dkim.crypto;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.Signature;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses, once per process, the JCA provider for each key type: the Amazon Corretto Crypto
 * Provider when its native library loads and offers the algorithm, then Bouncy Castle (Ed25519;
 * much faster than JDK 17's) or the JDK (RSA). The system property {@code inkan.crypto} set to
 * {@code jdk}, {@code bc} or {@code accp} forces one provider, for benchmarks.
 */
public final class CryptoProviders {
  private static final Logger LOG = LoggerFactory.getLogger(CryptoProviders.class);
  private static final Provider BC = new BouncyCastleProvider();
  private static final CryptoProviders INSTANCE = choose(System.getProperty("inkan.crypto", ""));

  private final Map<KeyType, Provider> providers;
  private final Map<KeyType, Provider> keyProviders;

  private CryptoProviders(Map<KeyType, Provider> providers, Map<KeyType, Provider> keyProviders) {
    this.providers = providers;
    this.keyProviders = keyProviders;
  }

  public static CryptoProviders get() {
    return INSTANCE;
  }

  /** Bouncy Castle, for key parsing and encoding. */
  public static Provider bouncyCastle() {
    return BC;
  }

  /** The provider of {@link Signature} objects for a key type. */
  public Provider provider(KeyType type) {
    return providers.get(type);
  }

  /**
   * The provider whose {@link KeyFactory} makes keys that {@link #provider} accepts. ACCP signs
   * Ed25519 but has no Ed25519 key factory; it takes the JDK's keys.
   */
  public Provider keyProvider(KeyType type) {
    return keyProviders.get(type);
  }

  /** One line naming the provider per key type, e.g. for logs and status pages. */
  public String describe() {
    return "rsa="
        + providers.get(KeyType.RSA).getName()
        + " ed25519="
        + providers.get(KeyType.ED25519).getName();
  }

  static String signatureAlgorithm(KeyType type) {
    return type == KeyType.RSA ? "SHA256withRSA" : "Ed25519";
  }

  static String keyAlgorithm(KeyType type) {
    return type == KeyType.RSA ? "RSA" : "Ed25519";
  }

  private static CryptoProviders choose(String forced) {
    Provider accp = accp();
    Provider jdkRsa = jdk("SHA256withRSA");
    Provider rsa;
    Provider ed;
    switch (forced) {
      case "jdk" -> {
        rsa = jdkRsa;
        ed = jdk("Ed25519");
      }
      case "bc" -> {
        rsa = BC;
        ed = BC;
      }
      case "accp" -> {
        if (accp == null) {
          throw new IllegalStateException("inkan.crypto=accp but ACCP is not usable here");
        }
        rsa = accp;
        ed = accpSignsJdkEd25519Keys(accp) ? accp : BC;
      }
      default -> {
        rsa = accp != null && offers(accp, KeyType.RSA) ? accp : jdkRsa;
        ed = accp != null && accpSignsJdkEd25519Keys(accp) ? accp : BC;
      }
    }
    Provider edKeys = ed == accp ? jdkEd25519KeyFactory() : ed;
    CryptoProviders chosen =
        new CryptoProviders(
            Map.of(KeyType.RSA, rsa, KeyType.ED25519, ed),
            Map.of(KeyType.RSA, rsa, KeyType.ED25519, edKeys));
    LOG.info("crypto providers: {}", chosen.describe());
    return chosen;
  }

  private static Provider jdk(String algorithm) {
    try {
      return Signature.getInstance(algorithm).getProvider();
    } catch (java.security.NoSuchAlgorithmException e) {
      return BC;
    }
  }

  private static boolean offers(Provider p, KeyType type) {
    try {
      Signature.getInstance(signatureAlgorithm(type), p);
      KeyFactory.getInstance(keyAlgorithm(type), p);
      return true;
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static Provider jdkEd25519KeyFactory() {
    try {
      return KeyFactory.getInstance("Ed25519").getProvider();
    } catch (java.security.NoSuchAlgorithmException e) {
      return BC;
    }
  }

  /** ACCP 2.x signs Ed25519 with keys from the JDK's factory; check that once, end to end. */
  private static boolean accpSignsJdkEd25519Keys(Provider accp) {
    try {
      var pair = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] data = {1, 2, 3};
      Signature s = Signature.getInstance("Ed25519", accp);
      s.initSign(pair.getPrivate());
      s.update(data);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance("Ed25519", accp);
      v.initVerify(pair.getPublic());
      v.update(data);
      return v.verify(sig);
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      LOG.debug("ACCP Ed25519 not usable: {}", e.toString());
      return false;
    }
  }

  private static Provider accp() {
    try {
      Class<?> c =
          Class.forName("com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider");
      Provider p = (Provider) c.getField("INSTANCE").get(null);
      Object error = c.getMethod("getLoadingError").invoke(p);
      if (error != null) {
        LOG.debug("ACCP not usable: {}", error);
        return null;
      }
      return p;
    } catch (ReflectiveOperationException | LinkageError e) {
      LOG.debug("ACCP not present: {}", e.toString());
      return null;
    }
  }
}
