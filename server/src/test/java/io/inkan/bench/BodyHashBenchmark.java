package io.inkan.bench;

import io.inkan.dkim.BodyCanonicalizer;
import io.inkan.dkim.BodyHasher;
import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.crypto.CryptoProviders;
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
 * Body canonicalization plus SHA-256, single thread, over a realistic 1 MiB body fed in 64 KiB
 * chunks (the milter's largest body chunk). The score is bytes of input per second: one "operation"
 * is one body byte, so divide by 1,000,000 for MB/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class BodyHashBenchmark {
  static final int BODY_BYTES = 1 << 20;
  private static final int CHUNK = 65_535;

  @Param({"RELAXED", "SIMPLE"})
  public Canonicalization canonicalization;

  private byte[] body;

  @Setup
  public void setup() {
    body = RealisticBody.of(BODY_BYTES, 6376);
    System.out.println("\n# " + CryptoProviders.get().describe());
  }

  @Benchmark
  @OperationsPerInvocation(BODY_BYTES)
  public byte[] canonicalizeAndHash() {
    BodyHasher hasher = new BodyHasher("SHA-256", Long.MAX_VALUE);
    BodyCanonicalizer canon = BodyCanonicalizer.of(canonicalization, hasher);
    for (int off = 0; off < body.length; off += CHUNK) {
      canon.update(body, off, Math.min(CHUNK, body.length - off));
    }
    canon.finish();
    return hasher.hash();
  }
}
