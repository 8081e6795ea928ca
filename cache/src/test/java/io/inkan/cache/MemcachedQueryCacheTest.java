package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against two real memcached processes started by {@link MemcachedProcess}. */
class MemcachedQueryCacheTest {
  private static final ClusterSecret SECRET =
      ClusterSecret.of("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  private static final Duration TIMEOUT = Duration.ofMillis(100);
  private static final long BOUND_MILLIS = 500;

  private final MutableClock clock = new MutableClock(java.time.Instant.now());
  private MemcachedProcess a;
  private MemcachedProcess b;
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeEach
  void startServers() throws Exception {
    a = MemcachedProcess.start();
    b = MemcachedProcess.start();
  }

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable c : closeLater) {
      c.close();
    }
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  /** A client connected to both servers (the first lookups would otherwise wait to connect). */
  private MemcachedQueryCache open(ClusterSecret secret) throws InterruptedException {
    MemcachedQueryCache cache = openUnconnected(secret);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (cache.availableServers() < 2 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(cache.availableServers()).isEqualTo(2);
    return cache;
  }

  private MemcachedQueryCache openUnconnected(ClusterSecret secret) {
    MemcachedQueryCache cache =
        MemcachedQueryCache.builder(List.of(a.address(), b.address()), secret)
            .timeout(TIMEOUT)
            .reconnectDelay(Duration.ofSeconds(1))
            .clock(clock)
            .open();
    closeLater.add(cache);
    return cache;
  }

  private MemcachedClient raw(MemcachedProcess server) throws IOException {
    MemcachedClient client = new MemcachedClient(server.address());
    closeLater.add(client::shutdown);
    return client;
  }

  private static String name(int i) {
    return "s" + i + "._domainkey.example" + (i % 7) + ".org";
  }

  private static String key(String name) {
    return MemcachedKeys.forName(DnsNames.normalise(name));
  }

  @Test
  void storesAndFindsAnswersAndSpreadsKeysOverBothServers() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    for (int i = 0; i < 200; i++) {
      cache.put(name(i), Answers.txt("v=DKIM1; p=" + i, Duration.ofMinutes(5), clock));
    }
    for (int i = 0; i < 200; i++) {
      assertThat(cache.get(name(i).toUpperCase())).map(Answers::text).contains("v=DKIM1; p=" + i);
    }
    long onA = a.currItems();
    long onB = b.currItems();
    assertThat(onA + onB).isEqualTo(200);
    assertThat(onA).isBetween(40L, 160L);
    assertThat(cache.stats().keys()).isEqualTo(200);
    assertThat(cache.stats().hits()).isEqualTo(200);
    assertThat(cache.stats().errors()).isZero();
  }

  @Test
  void negativeAndExpiredAnswers() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    CachedAnswer nx =
        CachedAnswer.expiringIn(AnswerType.NXDOMAIN, null, Duration.ofSeconds(60), clock);
    cache.put("gone.example", nx);
    assertThat(cache.get("gone.example")).contains(nx);
    clock.advance(Duration.ofSeconds(61));
    assertThat(cache.get("gone.example")).isEmpty();
    assertThat(cache.stats().expired()).isEqualTo(1);
  }

  @Test
  void aForgedValueWrittenDirectlyIsRejectedAndCounted() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    String name = "evil._domainkey.example.com";
    byte[] forged = forgedValue(SignedValueCodec.VERSION, "v=DKIM1; p=attacker");
    for (MemcachedProcess server : List.of(a, b)) {
      assertThat(raw(server).set(key(name), 300, forged).get(2, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(cache.get(name)).isEmpty();
    CacheStats s = cache.stats();
    assertThat(s.rejected()).isEqualTo(1);
    assertThat(s.errors()).isZero();
  }

  @Test
  void aValueUnderAnotherSecretIsRejected() throws Exception {
    MemcachedQueryCache ours = open(SECRET);
    MemcachedQueryCache theirs =
        open(
            ClusterSecret.of(
                "another secret, also 32 bytes long!".getBytes(StandardCharsets.UTF_8)));
    theirs.put("x.example", Answers.txt("theirs", Duration.ofMinutes(5), clock));
    assertThat(theirs.get("x.example")).isPresent();
    assertThat(ours.get("x.example")).isEmpty();
    assertThat(ours.stats().rejected()).isEqualTo(1);
  }

  @Test
  void truncatedGarbageAndMovedValuesAreRejected() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    cache.put("real.example", Answers.txt("v=DKIM1; p=real", Duration.ofMinutes(5), clock));
    assertThat(cache.get("real.example")).isPresent();
    byte[] good = rawGet("real.example");

    rawSetEverywhere("truncated.example", Arrays.copyOf(good, good.length - 1));
    rawSetEverywhere("short.example", Arrays.copyOf(good, 5));
    rawSetEverywhere("garbage.example", "hello, memcached".getBytes(StandardCharsets.US_ASCII));
    rawSetEverywhere("empty.example", new byte[0]);
    rawSetEverywhere("moved.example", good);

    for (String n : List.of("truncated", "short", "garbage", "empty", "moved")) {
      assertThat(cache.get(n + ".example")).as(n).isEmpty();
    }
    CacheStats s = cache.stats();
    assertThat(s.rejected()).isEqualTo(5);
    assertThat(s.errors()).isZero();
  }

  @Test
  void anUnknownFormatVersionIsAMissNotAnError() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    rawSetEverywhere("next.example", forgedValue(SignedValueCodec.VERSION + 1, "v=DKIM1; p=x"));
    assertThat(cache.get("next.example")).isEmpty();
    CacheStats s = cache.stats();
    assertThat(s.otherVersion()).isEqualTo(1);
    assertThat(s.misses()).isEqualTo(1);
    assertThat(s.rejected()).isZero();
    assertThat(s.errors()).isZero();
  }

  @Test
  void aKilledServerIsBypassedAndComesBackAfterRestart() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    for (int i = 0; i < 200; i++) {
      cache.put(name(i), Answers.txt("v" + i, Duration.ofMinutes(5), clock));
    }
    awaitItems(200); // puts are asynchronous
    List<Integer> onB = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      if (b.holds(key(name(i)))) {
        onB.add(i);
      }
    }
    assertThat(onB).as("names on B").isNotEmpty().hasSizeLessThan(200);

    a.kill();
    long worst = 0;
    int hits = 0;
    for (int i = 0; i < 200; i++) {
      long t0 = System.nanoTime();
      boolean hit = cache.get(name(i)).isPresent();
      cache.put("new" + i + ".example", Answers.txt("n" + i, Duration.ofMinutes(5), clock));
      worst = Math.max(worst, System.nanoTime() - t0);
      if (hit) {
        hits++;
        assertThat(onB).as("hit for %s while its server is down", name(i)).contains(i);
      }
    }
    assertThat(TimeUnit.NANOSECONDS.toMillis(worst))
        .as("slowest get+put, ms")
        .isLessThan(BOUND_MILLIS);
    assertThat(hits)
        .as("hits on the live server, %s", cache.stats())
        .isGreaterThanOrEqualTo(onB.size() - 5);
    // while A is down, its share of new names goes to B and is found there
    int newHits = 0;
    for (int i = 0; i < 200; i++) {
      newHits += cache.get("new" + i + ".example").isPresent() ? 1 : 0;
    }
    assertThat(newHits).as("new names found, %s", cache.stats()).isGreaterThan(150);

    a.restart();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    int i = 0;
    while (a.currItems() == 0 && System.nanoTime() < deadline) {
      cache.put("after" + i + ".example", Answers.txt("x", Duration.ofMinutes(5), clock));
      i++;
      Thread.sleep(10);
    }
    assertThat(a.currItems()).as("writes reach the restarted server").isPositive();
  }

  @Test
  void aSuspendedServerCostsAtMostTheTimeout() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    for (int i = 0; i < 50; i++) {
      cache.put(name(i), Answers.txt("v" + i, Duration.ofMinutes(5), clock));
    }
    assertThat(cache.get(name(0))).isPresent();
    a.suspend();
    try {
      long worst = 0;
      for (int i = 0; i < 50; i++) {
        long t0 = System.nanoTime();
        cache.get(name(i));
        cache.put(name(i), Answers.txt("w" + i, Duration.ofMinutes(5), clock));
        worst = Math.max(worst, System.nanoTime() - t0);
      }
      assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).isLessThan(BOUND_MILLIS);
      assertThat(cache.stats().errors()).isPositive();
      assertThat(cache.stats().hits()).isPositive();
    } finally {
      a.resume();
    }
  }

  @Test
  void asyncGetsFindRejectAndTimeOutWithoutAThreadWaiting() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    java.util.concurrent.Executor never =
        r -> {
          throw new AssertionError("memcached gets must not need a blocking thread");
        };
    for (int i = 0; i < 50; i++) {
      cache.put(name(i), Answers.txt("v" + i, Duration.ofMinutes(5), clock));
    }
    awaitItems(50);
    assertThat(cache.getAsync(name(7), never).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .map(Answers::text)
        .contains("v7");
    assertThat(
            cache.getAsync("absent.example", never).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isEmpty();
    String evil = "evil-async._domainkey.example.com";
    rawSetEverywhere(evil, forgedValue(SignedValueCodec.VERSION, "v=DKIM1; p=attacker"));
    assertThat(cache.getAsync(evil, never).toCompletableFuture().get(5, TimeUnit.SECONDS))
        .isEmpty();
    assertThat(cache.stats().rejected()).isEqualTo(1);
    a.suspend();
    b.suspend();
    try {
      long t0 = System.nanoTime();
      assertThat(cache.getAsync(name(3), never).toCompletableFuture().get(5, TimeUnit.SECONDS))
          .isEmpty();
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(BOUND_MILLIS);
      assertThat(cache.stats().errors()).isPositive();
    } finally {
      a.resume();
      b.resume();
    }
  }

  @Test
  void noServerReachableMeansMissesNotExceptions() throws Exception {
    a.kill();
    b.kill();
    MemcachedQueryCache cache = openUnconnected(SECRET);
    long t0 = System.nanoTime();
    cache.put("x.example", Answers.txt("x", Duration.ofMinutes(5), clock));
    assertThat(cache.get("x.example")).isEmpty();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(BOUND_MILLIS);
    assertThat(cache.stats().keys()).isZero();
  }

  @Test
  void concurrentUseSmokeTest() throws Exception {
    MemcachedQueryCache cache = open(SECRET);
    ConcurrencySmoke.run(cache, clock, 8, 1_000);
    assertThat(cache.stats().hits()).isPositive();
    assertThat(cache.stats().rejected()).isZero();
  }

  private void awaitItems(long n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (a.currItems() + b.currItems() < n && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(a.currItems() + b.currItems()).as("items stored").isEqualTo(n);
  }

  private byte[] rawGet(String name) throws IOException {
    for (MemcachedProcess server : List.of(a, b)) {
      byte[] v = raw(server).get(key(name), new RawBytesTranscoder());
      if (v != null) {
        return v;
      }
    }
    throw new AssertionError(name + " is on neither server");
  }

  private void rawSetEverywhere(String name, byte[] value) throws Exception {
    for (MemcachedProcess server : List.of(a, b)) {
      assertThat(raw(server).set(key(name), 300, value).get(2, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** A well-formed value with a made-up MAC, as an attacker without the secret would write. */
  private byte[] forgedValue(int version, String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    ByteBuffer v = ByteBuffer.allocate(2 + 10 + data.length + 32);
    v.put(SignedValueCodec.MAGIC).put((byte) version).put((byte) AnswerType.ANSWER.code());
    v.putLong(clock.instant().plusSeconds(300).toEpochMilli()).put(data);
    v.put(new byte[32]);
    return v.array();
  }
}
