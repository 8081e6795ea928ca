package io.inkan.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedDataSetTest {
  private static final Source AT = new Source("test.conf", 3);

  /** A remote set stand-in: rows in a map, counts lookups, can block or fail. */
  private static final class FakeSet implements DataSet {
    final Map<String, String> rows = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    volatile CountDownLatch gate;
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile boolean down;
    volatile boolean closed;

    @Override
    public Optional<DataSetEntry> lookup(String key) {
      lookups.incrementAndGet();
      entered.countDown();
      if (gate != null) {
        try {
          gate.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (down) {
        throw new DataSetUnavailableException("test.conf:3: data set \"dsn:fake\": down", null);
      }
      String k = key.toLowerCase(java.util.Locale.ROOT);
      return Optional.ofNullable(rows.get(k)).map(v -> new DataSetEntry(k, v, AT));
    }

    @Override
    public String spec() {
      return "dsn:fake";
    }

    @Override
    public Source declaredAt() {
      return AT;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final FakeSet fake = new FakeSet();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  private CachedDataSet cached(Duration hit, Duration miss) {
    return new CachedDataSet(fake, KeyCase.INSENSITIVE, hit, miss, 1000, now::get);
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void theLeastRecentlyUsedHitGoesFirstAndMissesNeverPushOutHits() {
    fake.rows.put("a", "1");
    fake.rows.put("b", "2");
    fake.rows.put("c", "3");
    CachedDataSet set =
        new CachedDataSet(
            fake, KeyCase.INSENSITIVE, Duration.ofMinutes(5), Duration.ofMinutes(5), 2, now::get);
    set.lookup("a");
    set.lookup("b");
    set.lookup("a"); // a is now more recent than b
    set.lookup("c"); // evicts b, not a
    for (int i = 0; i < 100; i++) {
      set.lookup("unknown" + i); // misses are bounded on their own
    }
    int before = fake.lookups.get();
    set.lookup("a");
    set.lookup("c");
    assertThat(fake.lookups.get()).isEqualTo(before);
    set.lookup("b");
    assertThat(fake.lookups.get()).isEqualTo(before + 1);
  }

  @Test
  void aHitIsReusedUntilItsTtlRunsOut() {
    fake.rows.put("example.com", "v1");
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofMinutes(1));
    assertThat(set.get("example.com")).hasValue(List.of("v1"));
    fake.rows.put("example.com", "v2");
    advance(Duration.ofMinutes(4));
    assertThat(set.get("example.com")).hasValue(List.of("v1"));
    assertThat(fake.lookups).hasValue(1);
    advance(Duration.ofMinutes(1));
    assertThat(set.get("example.com")).hasValue(List.of("v2"));
    assertThat(fake.lookups).hasValue(2);
  }

  @Test
  void aMissIsReusedForTheNegativeTtl() {
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofSeconds(30));
    assertThat(set.lookup("new.example")).isEmpty();
    fake.rows.put("new.example", "v");
    advance(Duration.ofSeconds(29));
    assertThat(set.lookup("new.example")).isEmpty();
    advance(Duration.ofSeconds(1));
    assertThat(set.get("new.example")).hasValue(List.of("v"));
    assertThat(fake.lookups).hasValue(2);
  }

  @Test
  void zeroTtlsRememberNothing() {
    fake.rows.put("a.example", "v");
    CachedDataSet set = cached(Duration.ZERO, Duration.ZERO);
    set.lookup("a.example");
    set.lookup("a.example");
    set.lookup("b.example");
    set.lookup("b.example");
    assertThat(fake.lookups).hasValue(4);
    assertThat(set.size()).isZero();
  }

  @Test
  void zeroNegativeTtlStillRemembersHits() {
    fake.rows.put("a.example", "v");
    CachedDataSet set = cached(Duration.ofMinutes(1), Duration.ZERO);
    set.lookup("a.example");
    set.lookup("a.example");
    set.lookup("b.example");
    set.lookup("b.example");
    assertThat(fake.lookups).hasValue(3);
  }

  @Test
  void dropCacheForgetsEverything() {
    fake.rows.put("a.example", "v1");
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofMinutes(5));
    set.lookup("a.example");
    set.lookup("b.example");
    fake.rows.put("a.example", "v2");
    fake.rows.put("b.example", "w");
    set.dropCache();
    assertThat(set.size()).isZero();
    assertThat(set.get("a.example")).hasValue(List.of("v2"));
    assertThat(set.get("b.example")).hasValue(List.of("w"));
  }

  @Test
  void keysThatDifferOnlyInAsciiCaseShareAnAnswerWhenCaseIsIgnored() {
    fake.rows.put("example.com", "v");
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofMinutes(5));
    assertThat(set.lookup("Example.COM")).isPresent();
    assertThat(set.lookup("example.com")).isPresent();
    assertThat(fake.lookups).hasValue(1);
    CachedDataSet exact =
        new CachedDataSet(
            fake, KeyCase.SENSITIVE, Duration.ofMinutes(5), Duration.ZERO, 10, now::get);
    exact.lookup("Example.COM");
    exact.lookup("example.com");
    assertThat(fake.lookups).hasValue(3);
  }

  @Test
  void theCacheIsBoundedOldestOut() {
    CachedDataSet set =
        new CachedDataSet(
            fake, KeyCase.SENSITIVE, Duration.ofMinutes(5), Duration.ofMinutes(5), 3, now::get);
    for (String k : List.of("a", "b", "c", "d")) {
      set.lookup(k);
    }
    assertThat(set.size()).isEqualTo(3);
    set.lookup("d");
    set.lookup("b");
    assertThat(fake.lookups).hasValue(4);
    set.lookup("a");
    assertThat(fake.lookups).hasValue(5);
  }

  @Test
  void unavailableIsNeverRemembered() {
    fake.down = true;
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofMinutes(5));
    assertThatThrownBy(() -> set.lookup("a.example"))
        .isInstanceOf(DataSetUnavailableException.class);
    fake.down = false;
    fake.rows.put("a.example", "v");
    assertThat(set.get("a.example")).hasValue(List.of("v"));
  }

  @Test
  void concurrentMissesOfOneKeyShareOneLookup() throws Exception {
    fake.rows.put("example.com", "v");
    fake.gate = new CountDownLatch(1);
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofMinutes(5));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Optional<DataSetEntry>>> answers = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String key = i % 2 == 0 ? "example.com" : "EXAMPLE.com";
        answers.add(pool.submit(() -> set.lookup(key)));
      }
      assertThat(fake.entered.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200); // let the others reach the in-flight lookup
      fake.gate.countDown();
      for (Future<Optional<DataSetEntry>> f : answers) {
        assertThat(f.get(10, TimeUnit.SECONDS))
            .hasValueSatisfying(e -> assertThat(e.value()).isEqualTo("v"));
      }
      assertThat(fake.lookups).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void waitersOfAFailedLookupSeeUnavailableToo() throws Exception {
    fake.down = true;
    fake.gate = new CountDownLatch(1);
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofMinutes(5));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Optional<DataSetEntry>>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> set.lookup("a.example")));
      }
      assertThat(fake.entered.await(10, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200);
      fake.gate.countDown();
      for (Future<Optional<DataSetEntry>> f : answers) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(DataSetUnavailableException.class)
            .hasMessageContaining("dsn:fake");
      }
      assertThat(fake.lookups).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void closeClosesTheSetBelowAndNamesPassThrough() {
    CachedDataSet set = cached(Duration.ofMinutes(5), Duration.ofMinutes(5));
    assertThat(set.spec()).isEqualTo("dsn:fake");
    assertThat(set.declaredAt()).isEqualTo(AT);
    assertThat(set.patternKeys()).isFalse();
    assertThat(set.localEntries()).isEmpty();
    set.close();
    assertThat(fake.closed).isTrue();
  }
}
