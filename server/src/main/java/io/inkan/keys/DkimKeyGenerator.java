package io.inkan.keys;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.crypto.CryptoProviders;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.RSAKeyGenParameterSpec;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * Makes new DKIM private keys as PEM text that opendkim, OpenSSL and {@link PrivateKeyReader} all
 * read: RSA as PKCS#1 {@code RSA PRIVATE KEY}, the form opendkim-genkey wrote before OpenSSL 3, and
 * Ed25519 as PKCS#8 {@code PRIVATE KEY} (RFC 8410 §7; DKIM use per RFC 8463).
 */
public final class DkimKeyGenerator {
  /** RFC 8301 §3.2: signers must use RSA keys of at least 1024 bits. */
  public static final int MIN_RSA_BITS = 1024;

  /** Larger keys take minutes to make and no verifier is required to accept them. */
  public static final int MAX_RSA_BITS = 8192;

  private DkimKeyGenerator() {}

  /**
   * A new private key.
   *
   * @param privateKeyPem the PEM text to store in {@code SELECTOR.private}
   * @param key the same key as the signer reads it back, with its {@code p=} value
   */
  public record Generated(String privateKeyPem, SigningKey key) {}

  /**
   * Generates a key.
   *
   * @param bits the RSA modulus length; ignored for Ed25519
   * @throws IllegalArgumentException when RSA bits are outside [{@value #MIN_RSA_BITS}, {@value
   *     #MAX_RSA_BITS}]
   * @throws GeneralSecurityException when the JCA provider cannot make the key
   */
  public static Generated generate(KeyType type, int bits) throws GeneralSecurityException {
    String pem = type == KeyType.RSA ? rsaPem(bits) : ed25519Pem();
    return new Generated(pem, PrivateKeyReader.read(pem));
  }

  private static String rsaPem(int bits) throws GeneralSecurityException {
    if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
      throw new IllegalArgumentException(
          "RSA keys must have " + MIN_RSA_BITS + " to " + MAX_RSA_BITS + " bits, got " + bits);
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(
        new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), new SecureRandom());
    PrivateKey key = generator.generateKeyPair().getPrivate();
    try {
      byte[] pkcs1 =
          PrivateKeyInfo.getInstance(key.getEncoded())
              .parsePrivateKey()
              .toASN1Primitive()
              .getEncoded(ASN1Encoding.DER);
      return pem("RSA PRIVATE KEY", pkcs1);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the RSA key as PKCS#1", e);
    }
  }

  private static String ed25519Pem() throws GeneralSecurityException {
    KeyPairGenerator generator;
    try {
      generator = KeyPairGenerator.getInstance("Ed25519");
    } catch (NoSuchAlgorithmException e) {
      generator = KeyPairGenerator.getInstance("Ed25519", CryptoProviders.bouncyCastle());
    }
    // PKCS#8 of the 32-byte seed, as `openssl genpkey -algorithm ed25519` writes it.
    return pem("PRIVATE KEY", generator.generateKeyPair().getPrivate().getEncoded());
  }

  private static String pem(String type, byte[] der) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject(type, der));
    } catch (IOException e) {
      throw new UncheckedIOException("writing to a string cannot fail", e);
    }
    return out.toString();
  }
}
