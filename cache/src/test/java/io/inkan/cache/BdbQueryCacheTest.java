package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BdbQueryCacheTest {
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock();

  private BdbQueryCache open(long maxEntries) {
    return BdbQueryCache.builder(dir)
        .maxEntries(maxEntries)
        .sweepInterval(Duration.ZERO)
        .clock(clock)
        .open();
  }

  @Test
  void storesAndFindsCaseInsensitively() {
    try (BdbQueryCache cache = open(100)) {
      CachedAnswer a = Answers.txt("v=DKIM1; p=abc", Duration.ofMinutes(5), clock);
      cache.put("Sel._domainkey.EXAMPLE.com.", a);
      assertThat(cache.get("sel._domainkey.example.com")).contains(a);
      assertThat(cache.get("nope.example.com")).isEmpty();
      CacheStats s = cache.stats();
      assertThat(s)
          .extracting(CacheStats::queries, CacheStats::hits, CacheStats::keys)
          .containsExactly(2L, 1L, 1L);
    }
  }

  @Test
  void expiredEntriesAreNotServedAndSweepRemovesThem() {
    try (BdbQueryCache cache = open(100)) {
      cache.put("short.example", Answers.txt("s", Duration.ofSeconds(10), clock));
      cache.put(
          "nodata.example",
          CachedAnswer.expiringIn(AnswerType.NODATA, null, Duration.ofSeconds(20), clock));
      cache.put("long.example", Answers.txt("l", Duration.ofHours(1), clock));

      clock.advance(Duration.ofSeconds(15));
      assertThat(cache.get("short.example")).isEmpty();
      assertThat(cache.get("nodata.example")).map(CachedAnswer::type).contains(AnswerType.NODATA);
      assertThat(cache.stats().expired()).isEqualTo(1);

      assertThat(cache.sweep()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(10));
      assertThat(cache.sweep()).isEqualTo(1);
      assertThat(cache.stats().keys()).isEqualTo(1);
      assertThat(cache.get("long.example")).isPresent();
    }
  }

  @Test
  void backgroundSweeperRemovesExpiredEntries() throws InterruptedException {
    try (BdbQueryCache cache =
        BdbQueryCache.builder(dir).sweepInterval(Duration.ofMillis(50)).clock(clock).open()) {
      for (int i = 0; i < 20; i++) {
        cache.put("n" + i + ".example", Answers.txt("x", Duration.ofSeconds(5), clock));
      }
      clock.advance(Duration.ofSeconds(6));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (cache.stats().keys() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(cache.stats().keys()).isZero();
    }
  }

  @Test
  void evictsTheOldestExpiringWhenFull() {
    try (BdbQueryCache cache = open(100)) {
      for (int i = 0; i < 150; i++) {
        cache.put("n" + i + ".example", Answers.txt("x", Duration.ofSeconds(100 + i), clock));
      }
      assertThat(cache.stats().keys()).isEqualTo(100);
      assertThat(cache.get("n49.example")).isEmpty();
      assertThat(cache.get("n50.example")).isPresent();
      assertThat(cache.get("n149.example")).isPresent();
      // overwriting an existing name does not grow the store
      cache.put("n149.example", Answers.txt("y", Duration.ofSeconds(1000), clock));
      assertThat(cache.stats().keys()).isEqualTo(100);
    }
  }

  @Test
  void entriesSurviveCloseAndReopen() {
    CachedAnswer a = Answers.txt("kept", Duration.ofMinutes(10), clock);
    try (BdbQueryCache cache = open(100)) {
      cache.put("kept.example", a);
      cache.put("brief.example", Answers.txt("b", Duration.ofSeconds(30), clock));
    }
    clock.advance(Duration.ofMinutes(1));
    try (BdbQueryCache cache = open(100)) {
      assertThat(cache.stats().keys()).isEqualTo(2);
      assertThat(cache.get("kept.example")).contains(a);
      assertThat(cache.get("brief.example")).isEmpty();
      assertThat(cache.stats().expired()).isEqualTo(1);
    }
  }

  @Test
  void aSecondOpenInThisProcessIsRefused() throws Exception {
    try (BdbQueryCache cache = open(100)) {
      assertThat(cache.directory()).isEqualTo(dir.toRealPath());
      assertThatThrownBy(() -> open(100))
          .isInstanceOf(CacheSetupException.class)
          .hasMessageContaining("already open in this process");
    }
    open(100).close();
  }

  @Test
  void aSecondProcessGetsAClearError() throws Exception {
    try (BdbQueryCache cache = open(100)) {
      cache.put("x.example", Answers.txt("x", Duration.ofMinutes(1), clock));
      Process probe =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  BdbLockProbe.class.getName(),
                  dir.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(probe.exitValue()).as(out).isEqualTo(BdbLockProbe.LOCKED);
      assertThat(out)
          .contains("is in use by another process")
          .contains(dir.toRealPath().toString());
    }
  }

  @Test
  void concurrentUseSmokeTest() throws Exception {
    try (BdbQueryCache cache = open(500)) {
      ConcurrencySmoke.run(cache, clock, 8, 2_000);
      cache.put("last.example", Answers.txt("x", Duration.ofMinutes(5), clock));
      CacheStats s = cache.stats();
      assertThat(s.hits()).isPositive();
      assertThat(s.errors()).isZero();
      assertThat(s.keys()).isLessThanOrEqualTo(500);
    }
  }
}
