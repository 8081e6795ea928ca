package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.AnswerType;
import io.inkan.cache.CacheStats;
import io.inkan.cache.CachedAnswer;
import io.inkan.cache.CaffeineQueryCache;
import io.inkan.cache.QueryCache;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyLookupResult.TxtRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The layering, TTLs and single flight of {@link CachingKeyRecordLookup} over a scripted DNS; two
 * in-process caches stand for the in-process and the shared layer (the real JE and memcached layers
 * are in {@link QueryCacheDnsTest} and {@link MemcachedQueryCacheLayerTest}).
 */
class CachingKeyRecordLookupTest {
  private static final CacheTtls TTLS =
      new CacheTtls(
          Duration.ofSeconds(30),
          Duration.ofSeconds(3600),
          Duration.ofSeconds(60),
          Duration.ofSeconds(5));

  private final TestClock clock = new TestClock(Instant.parse("2025-03-01T12:00:00Z"));
  private final Map<String, KeyLookupResult> zone = new ConcurrentHashMap<>();
  private final List<String> asked = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<KeyLookupResult>> held = new CopyOnWriteArrayList<>();
  private volatile boolean hold;
  private final Counting memory = new Counting(new CaffeineQueryCache(1000, clock));
  private final Counting shared = new Counting(new CaffeineQueryCache(1000, clock));
  private CachingKeyRecordLookup chain;

  @AfterEach
  void close() {
    if (chain != null) {
      chain.close();
    }
  }

  private CompletableFuture<KeyLookupResult> dns(String name) {
    asked.add(name);
    if (hold) {
      CompletableFuture<KeyLookupResult> f = new CompletableFuture<>();
      held.add(f);
      return f;
    }
    return CompletableFuture.completedFuture(
        zone.getOrDefault(name, new KeyLookupResult.NxDomain()));
  }

  private CachingKeyRecordLookup chain(boolean withMemory, boolean withShared, CacheTtls ttls) {
    CachingKeyRecordLookup.Builder b =
        CachingKeyRecordLookup.builder(this::dns).ttls(ttls).clock(clock);
    if (withMemory) {
      b.memory(memory);
    }
    if (withShared) {
      b.shared("shared", shared);
    }
    chain = b.build();
    return chain;
  }

  private KeyLookupResult lookup(String name) throws Exception {
    return chain.lookup(name).toCompletableFuture().get(5, TimeUnit.SECONDS);
  }

  private static KeyLookupResult found(long ttl) {
    return new KeyLookupResult.Found(
        List.of(new TxtRecord("v=DKIM1; p=AB", OptionalLong.of(ttl))), false);
  }

  @Test
  void aHitInTheFirstLayerDoesNotTouchTheSecond() throws Exception {
    zone.put("a._domainkey.example.com", found(300));
    chain(true, true, TTLS);
    assertThat(lookup("a._domainkey.example.com")).isEqualTo(found(300));
    assertThat(shared.gets.get()).isEqualTo(1);
    for (int i = 0; i < 5; i++) {
      assertThat(lookup("A._domainkey.Example.COM.")).isEqualTo(found(300));
    }
    assertThat(asked).hasSize(1);
    assertThat(shared.gets.get()).isEqualTo(1);
    assertThat(chain.layerStats().get("memory").hits()).isEqualTo(5);
    assertThat(chain.layerStats().get("shared").queries()).isEqualTo(1);
  }

  /** The copy keeps the shared entry's expiry: its TTL goes on counting down (RFC 2308 §5). */
  @Test
  void aHitInTheSecondLayerIsCopiedUpWithTheTimeItHasLeft() throws Exception {
    Instant expires = clock.instant().plusSeconds(40);
    shared.put("b._domainkey.example.com", KeyLookupCodec.encode(found(300), expires));
    chain(true, true, TTLS);
    assertThat(lookup("b._domainkey.example.com")).isEqualTo(found(300));
    assertThat(asked).isEmpty();
    assertThat(memory.cache.get("b._domainkey.example.com"))
        .map(CachedAnswer::expires)
        .contains(expires);
    lookup("b._domainkey.example.com");
    assertThat(shared.gets.get()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(41));
    lookup("b._domainkey.example.com");
    assertThat(asked).containsExactly("b._domainkey.example.com");
  }

  @Test
  void aMissGoesToDnsOnceAndIsStoredInEveryLayer() throws Exception {
    zone.put("c._domainkey.example.com", found(600));
    chain(true, true, TTLS);
    lookup("c._domainkey.example.com");
    assertThat(asked).hasSize(1);
    Instant expected = clock.instant().plusSeconds(600);
    assertThat(memory.cache.get("c._domainkey.example.com"))
        .map(CachedAnswer::expires)
        .contains(expected);
    assertThat(shared.cache.get("c._domainkey.example.com"))
        .map(CachedAnswer::expires)
        .contains(expected);
  }

  @Test
  void answersLiveForTheirTtlWithinTheBounds() throws Exception {
    zone.put("short._domainkey.example.com", found(1));
    zone.put("long._domainkey.example.com", found(86400));
    zone.put("plain._domainkey.example.com", found(120));
    chain(true, false, TTLS);
    lookup("short._domainkey.example.com");
    lookup("long._domainkey.example.com");
    lookup("plain._domainkey.example.com");
    clock.advance(Duration.ofSeconds(29));
    lookup("short._domainkey.example.com");
    assertThat(asked).hasSize(3);
    clock.advance(Duration.ofSeconds(2));
    lookup("short._domainkey.example.com");
    assertThat(asked).hasSize(4);
    clock.advance(Duration.ofSeconds(90));
    lookup("plain._domainkey.example.com");
    assertThat(asked).hasSize(5);
    clock.advance(Duration.ofSeconds(3600 - 122));
    lookup("long._domainkey.example.com");
    assertThat(asked).hasSize(5);
    clock.advance(Duration.ofSeconds(1));
    lookup("long._domainkey.example.com");
    assertThat(asked).hasSize(6);
  }

  /** RFC 2308 §5: the SOA's TTL when the answer has one, else the configured negative TTL. */
  @Test
  void negativeAnswersLiveForTheSoaTtlOrTheConfiguredOne() throws Exception {
    zone.put("soa._domainkey.example.com", new KeyLookupResult.NxDomain(OptionalLong.of(10)));
    zone.put("nodata._domainkey.example.com", new KeyLookupResult.NoData(OptionalLong.of(7200)));
    chain(true, true, TTLS);
    lookup("soa._domainkey.example.com");
    lookup("bare._domainkey.example.com");
    lookup("nodata._domainkey.example.com");
    assertThat(shared.cache.get("nodata._domainkey.example.com"))
        .map(a -> a.type() + " " + a.expires())
        .contains(AnswerType.NODATA + " " + clock.instant().plusSeconds(3600));
    clock.advance(Duration.ofSeconds(9));
    assertThat(lookup("soa._domainkey.example.com"))
        .isEqualTo(new KeyLookupResult.NxDomain(OptionalLong.of(1)));
    assertThat(asked).hasSize(3);
    clock.advance(Duration.ofSeconds(1));
    lookup("soa._domainkey.example.com");
    assertThat(asked).hasSize(4);
    clock.advance(Duration.ofSeconds(49));
    lookup("bare._domainkey.example.com");
    assertThat(asked).hasSize(4);
    clock.advance(Duration.ofSeconds(1));
    lookup("bare._domainkey.example.com");
    assertThat(asked).hasSize(5);
  }

  /** Briefly, and only in process: one node's failing resolver must not fail the others. */
  @Test
  void temporaryFailuresAreKeptBrieflyAndOnlyInProcess() throws Exception {
    zone.put("flaky._domainkey.example.com", new KeyLookupResult.TempFail("SERVFAIL"));
    chain(true, true, TTLS);
    assertThat(lookup("flaky._domainkey.example.com"))
        .isEqualTo(new KeyLookupResult.TempFail("SERVFAIL"));
    clock.advance(Duration.ofSeconds(4));
    assertThat(lookup("flaky._domainkey.example.com"))
        .isEqualTo(new KeyLookupResult.TempFail("SERVFAIL"));
    assertThat(asked).hasSize(1);
    assertThat(shared.cache.get("flaky._domainkey.example.com")).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    lookup("flaky._domainkey.example.com");
    assertThat(asked).hasSize(2);
  }

  @Test
  void aTempFailTtlOfZeroKeepsNone() throws Exception {
    zone.put("flaky._domainkey.example.com", new KeyLookupResult.TempFail("timeout"));
    chain(true, false, new CacheTtls(TTLS.min(), TTLS.max(), TTLS.negative(), Duration.ZERO));
    lookup("flaky._domainkey.example.com");
    lookup("flaky._domainkey.example.com");
    assertThat(asked).hasSize(2);
    assertThat(memory.cache.stats().keys()).isZero();
  }

  @Test
  void concurrentMissesShareOneQuery() throws Exception {
    hold = true;
    chain(true, true, TTLS);
    List<CompletableFuture<KeyLookupResult>> all = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 100; i++) {
      all.add(
          chain
              .lookup(i % 2 == 0 ? "x._domainkey.example.com" : "X._DOMAINKEY.example.com.")
              .toCompletableFuture());
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (held.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    Thread.sleep(100); // time for any lookup that did not join the flight to reach DNS
    assertThat(asked).containsExactly("x._domainkey.example.com");
    held.get(0).complete(found(300));
    for (CompletableFuture<KeyLookupResult> f : all) {
      assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo(found(300));
    }
    assertThat(shared.gets.get()).isEqualTo(1);
    lookup("x._domainkey.example.com");
    assertThat(asked).hasSize(1);
  }

  @Test
  void aFailingLookupBecomesATemporaryFailure() throws Exception {
    chain =
        CachingKeyRecordLookup.builder(
                name -> CompletableFuture.failedFuture(new IllegalStateException("resolver broke")))
            .memory(memory)
            .clock(clock)
            .build();
    assertThat(lookup("boom._domainkey.example.com"))
        .isInstanceOfSatisfying(
            KeyLookupResult.TempFail.class, t -> assertThat(t.reason()).contains("resolver broke"));
    CachingKeyRecordLookup throwing =
        CachingKeyRecordLookup.builder(
                name -> {
                  throw new IllegalStateException("resolver threw");
                })
            .memory(new CaffeineQueryCache(10, clock))
            .build();
    try {
      assertThat(throwing.lookup("x").toCompletableFuture().join())
          .isInstanceOf(KeyLookupResult.TempFail.class);
    } finally {
      throwing.close();
    }
  }

  /** OpenDKIM's statistics line, one per layer. */
  @Test
  void statisticsPerLayerInOpenDkimsForm() throws Exception {
    zone.put("a._domainkey.example.com", found(300));
    chain(true, true, TTLS);
    lookup("a._domainkey.example.com");
    lookup("a._domainkey.example.com");
    lookup("a._domainkey.example.com");
    assertThat(chain.statsLines())
        .containsExactly(
            "cache: 3 queries, 2 hits (66%), 0 expired, 1 keys (memory layer)",
            "cache: 1 queries, 0 hits (0%), 0 expired, 1 keys (shared layer)");
    assertThat(chain.layerStats().keySet()).containsExactly("memory", "shared");
  }

  @Test
  void afterCloseLookupsStillAnswerAndTheLayersAreClosed() throws Exception {
    zone.put("a._domainkey.example.com", found(300));
    chain(false, true, TTLS);
    chain.close();
    assertThat(shared.closed.get()).isEqualTo(1);
    assertThat(lookup("a._domainkey.example.com")).isEqualTo(found(300));
    chain.close();
    assertThat(shared.closed.get()).isEqualTo(1);
  }

  /** A cache that counts what is asked of it. */
  private static final class Counting implements QueryCache {
    final QueryCache cache;
    final AtomicInteger gets = new AtomicInteger();
    final AtomicInteger closed = new AtomicInteger();

    Counting(QueryCache cache) {
      this.cache = cache;
    }

    @Override
    public Optional<CachedAnswer> get(String name) {
      gets.incrementAndGet();
      return cache.get(name);
    }

    @Override
    public void put(String name, CachedAnswer answer) {
      cache.put(name, answer);
    }

    @Override
    public CacheStats stats() {
      return cache.stats();
    }

    @Override
    public void close() {
      closed.incrementAndGet();
      cache.close();
    }
  }
}
