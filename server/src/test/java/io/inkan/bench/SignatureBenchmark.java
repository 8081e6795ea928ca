package io.inkan.bench;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.crypto.CryptoProviders;
import io.inkan.dkim.crypto.DkimCrypto;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.PublicKeys;
import io.inkan.dkim.crypto.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Signatures and verifications per second, single thread, over a typical relaxed header block (RFC
 * 6376 §3.7), through {@link DkimCrypto} as the signer and verifier call it. The provider is chosen
 * once per JVM, so each nested class forks a JVM with {@code -Dinkan.crypto} set to its provider;
 * setup fails rather than report numbers for a provider that was not in use.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public abstract class SignatureBenchmark {
  private static final String HEADER_BLOCK =
      "from:Joe SixPack <joe@football.example.com>\r\n"
          + "to:Suzie Q <suzie@shopping.example.net>\r\n"
          + "subject:Is dinner ready?\r\n"
          + "date:Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"
          + "message-id:<20030712040037.46341.5F8J@football.example.com>\r\n"
          + "mime-version:1.0\r\n"
          + "content-type:text/plain; charset=utf-8\r\n"
          + "dkim-signature:v=1; a=rsa-sha256; c=relaxed/relaxed; d=football.example.com;"
          + " s=brisbane; t=1528637909; h=from:to:subject:date:message-id:mime-version:"
          + "content-type:from:subject:date; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b=";

  @Param({"RSA_SHA256", "ED25519_SHA256"})
  public DkimAlgorithm algorithm;

  private PrivateKey privateKey;
  private PublicKey publicKey;
  private byte[] headerBlock;
  private byte[] signature;

  /** The {@code inkan.crypto} value the subclass's fork sets. */
  abstract String forcedProvider();

  @Setup
  public void setup() throws GeneralSecurityException {
    String forced = System.getProperty("inkan.crypto", "");
    if (!forced.equals(forcedProvider())) {
      throw new IllegalStateException(
          "fork runs with inkan.crypto="
              + forced
              + ", expected "
              + forcedProvider()
              + " (do not override -jvmArgsAppend)");
    }
    KeyType type = algorithm.keyType();
    KeyPairGenerator generator =
        KeyPairGenerator.getInstance(type == KeyType.RSA ? "RSA" : "Ed25519");
    if (type == KeyType.RSA) {
      generator.initialize(2048);
    }
    String pkcs8 =
        Base64.getEncoder().encodeToString(generator.generateKeyPair().getPrivate().getEncoded());
    SigningKey key = PrivateKeyReader.read(pkcs8);
    privateKey = key.privateKey();
    publicKey = PublicKeys.decode(type, key.publicKey());
    headerBlock = HEADER_BLOCK.getBytes(StandardCharsets.ISO_8859_1);
    signature = DkimCrypto.sign(algorithm, privateKey, headerBlock);
    if (!DkimCrypto.verify(algorithm, publicKey, headerBlock, signature)) {
      throw new IllegalStateException("own signature does not verify");
    }
    System.out.println(
        "\n# " + CryptoProviders.get().describe() + "; key " + privateKey.getClass().getName());
  }

  @Benchmark
  public byte[] sign() throws GeneralSecurityException {
    return DkimCrypto.sign(algorithm, privateKey, headerBlock);
  }

  @Benchmark
  public boolean verify() {
    return DkimCrypto.verify(algorithm, publicKey, headerBlock, signature);
  }

  /** The JDK's providers (SunRsaSign, SunEC). */
  @Fork(value = 1, jvmArgsAppend = "-Dinkan.crypto=jdk")
  public static class Jdk extends SignatureBenchmark {
    @Override
    String forcedProvider() {
      return "jdk";
    }
  }

  /** Bouncy Castle for both key types. */
  @Fork(value = 1, jvmArgsAppend = "-Dinkan.crypto=bc")
  public static class Bc extends SignatureBenchmark {
    @Override
    String forcedProvider() {
      return "bc";
    }
  }

  /** Amazon Corretto Crypto Provider (AWS-LC); Ed25519 falls back to BC if ACCP lacks it. */
  @Fork(value = 1, jvmArgsAppend = "-Dinkan.crypto=accp")
  public static class Accp extends SignatureBenchmark {
    @Override
    String forcedProvider() {
      return "accp";
    }
  }
}
