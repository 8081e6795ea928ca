package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rough, single-threaded get/put latencies per backend; informal (no JMH), run on demand with
 * {@code -Dinkan.timing=true -Dtest=InformalTimingTest}.
 */
@EnabledIfSystemProperty(named = "inkan.timing", matches = "true")
class InformalTimingTest {
  private static final int OPS = 20_000;

  @TempDir Path dir;

  @Test
  void timeEachBackend() throws Exception {
    Clock clock = Clock.systemUTC();
    try (CaffeineQueryCache memory = new CaffeineQueryCache(100_000)) {
      time("memory", memory, clock);
    }
    try (BdbQueryCache bdb = BdbQueryCache.builder(dir).open()) {
      time("bdb", bdb, clock);
    }
    try (MemcachedProcess a = MemcachedProcess.start();
        MemcachedProcess b = MemcachedProcess.start();
        MemcachedQueryCache memcache =
            MemcachedQueryCache.builder(
                    List.of(a.address(), b.address()),
                    ClusterSecret.of("t".repeat(32).getBytes(StandardCharsets.US_ASCII)))
                .open()) {
      time("memcache", memcache, clock);
    }
  }

  private static void time(String backend, QueryCache cache, Clock clock) {
    CachedAnswer answer =
        Answers.txt("v=DKIM1; k=rsa; p=" + "A".repeat(392), Duration.ofHours(1), clock);
    run(cache, answer, true);
    run(cache, answer, false);
    long[] puts = run(cache, answer, true);
    long[] gets = run(cache, answer, false);
    System.out.printf(
        "informal %-8s put mean %6.1f us p99 %6.1f us | get-hit mean %6.1f us p99 %6.1f us%n",
        backend, mean(puts), p99(puts), mean(gets), p99(gets));
    assertThat(cache.stats().hits()).isPositive();
  }

  private static long[] run(QueryCache cache, CachedAnswer answer, boolean put) {
    long[] nanos = new long[OPS];
    for (int i = 0; i < OPS; i++) {
      String name = "s" + i + "._domainkey.example.com";
      long t0 = System.nanoTime();
      if (put) {
        cache.put(name, answer);
      } else {
        cache.get(name);
      }
      nanos[i] = System.nanoTime() - t0;
    }
    return nanos;
  }

  private static double mean(long[] nanos) {
    return Arrays.stream(nanos).average().orElse(0) / 1000;
  }

  private static double p99(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) (sorted.length * 0.99)] / 1000.0;
  }
}
