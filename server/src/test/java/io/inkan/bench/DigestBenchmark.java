package io.inkan.bench;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;
import io.inkan.dkim.crypto.CryptoProviders;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The ceiling for {@link BodyHashBenchmark}: SHA-256 alone over the same 1 MiB in 8 KiB updates
 * (the canonicalizers' buffer size), per JCA provider. Score in bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class DigestBenchmark {
  private static final int UPDATE = 8192;

  @Param({"jdk", "bc", "accp"})
  public String provider;

  private byte[] body;
  private MessageDigest digest;

  @Setup
  public void setup() throws GeneralSecurityException {
    body = RealisticBody.of(BodyHashBenchmark.BODY_BYTES, 6376);
    digest =
        switch (provider) {
          case "jdk" -> MessageDigest.getInstance("SHA-256", "SUN");
          case "bc" -> MessageDigest.getInstance("SHA-256", CryptoProviders.bouncyCastle());
          case "accp" -> {
            AmazonCorrettoCryptoProvider.INSTANCE.assertHealthy();
            yield MessageDigest.getInstance("SHA-256", AmazonCorrettoCryptoProvider.INSTANCE);
          }
          default -> throw new IllegalArgumentException("provider must be jdk, bc or accp");
        };
  }

  @Benchmark
  @OperationsPerInvocation(BodyHashBenchmark.BODY_BYTES)
  public byte[] sha256() {
    for (int off = 0; off < body.length; off += UPDATE) {
      digest.update(body, off, Math.min(UPDATE, body.length - off));
    }
    return digest.digest();
  }
}
