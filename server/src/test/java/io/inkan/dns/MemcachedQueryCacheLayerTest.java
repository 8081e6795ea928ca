package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.CacheStats;
import io.inkan.cache.MemcachedProcess;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.testing.AuthoritativeDns;
import io.inkan.testing.AuthoritativeDnsProxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The memcached layer against two real memcached processes ({@link MemcachedProcess}) and a real
 * authoritative server behind a counting relay: keys spread over both, a server killed mid-run is
 * bypassed, and a value forged straight into memcached is rejected.
 */
class MemcachedQueryCacheLayerTest {
  private static final String FARM = "farm.example";
  private static final String REAL = "v=DKIM1; k=rsa; p=" + "R".repeat(200);
  private static AuthoritativeDns dns;

  private Path dir;
  private MemcachedProcess a;
  private MemcachedProcess b;
  private AuthoritativeDnsProxy proxy;
  private final List<AutoCloseable> closeLater = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    MemcachedProcess.requireInstalled();
    dns =
        AuthoritativeDns.start(
            Map.of(FARM, "*._domainkey 300 TXT " + RealDnsLookupTest.quoted(REAL)));
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
  }

  @BeforeEach
  void startServers() throws Exception {
    dir = Files.createTempDirectory("inkan-mc");
    a = MemcachedProcess.start();
    b = MemcachedProcess.start();
    proxy = AuthoritativeDnsProxy.start(dns.address(), 0, Duration.ZERO);
  }

  @AfterEach
  void stopServers() throws Exception {
    for (AutoCloseable c : closeLater) {
      c.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {proxy, a, b}) {
      if (c != null) {
        c.close();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private Path secretFile() throws Exception {
    Path f = dir.resolve("secret");
    Files.writeString(f, "0123456789abcdef0123456789abcdef0123456789abcdef\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  /** A chain with only the memcached layer, so that every lookup asks memcached. */
  private KeyLookupChain chain() throws Exception {
    String backend = "memcache:127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port();
    KeyLookupChain chain =
        KeyRecordLookups.from(
            ChainSettings.dns(
                proxy.address(), false, ChainSettings.cache(backend, secretFile(), 200, 300, 5)));
    closeLater.add(chain);
    // Wait until puts reach memcached: the client connects in the background.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      lookup(chain, "warm-up._domainkey." + FARM);
      if (chain.layerStats().get("memcache").hits() > 0) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(chain.layerStats().get("memcache").hits()).as("memcached reachable").isPositive();
    return chain;
  }

  private static KeyLookupResult lookup(KeyLookupChain chain, String name) {
    return chain.lookup(name).toCompletableFuture().join();
  }

  private static String name(String prefix, int i) {
    return prefix + i + "._domainkey." + FARM;
  }

  private static void assertReal(KeyLookupResult r) {
    assertThat(r).isInstanceOf(KeyLookupResult.Found.class);
    assertThat(((KeyLookupResult.Found) r).records())
        .singleElement()
        .satisfies(t -> assertThat(t.text()).isEqualTo(REAL));
  }

  private void awaitItems(long n) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (a.currItems() + b.currItems() < n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(a.currItems() + b.currItems()).isEqualTo(n);
  }

  @Test
  void keysSpreadOverBothServersAndAreServedFromThem() throws Exception {
    KeyLookupChain chain = chain();
    int before = proxy.queries();
    long errors = chain.layerStats().get("memcache").errors(); // the warm-up may have had some
    for (int i = 0; i < 100; i++) {
      assertReal(lookup(chain, name("s", i)));
    }
    assertThat(proxy.queries() - before).isEqualTo(100);
    awaitItems(101); // and the warm-up
    assertThat(a.currItems()).isBetween(15L, 86L);
    for (int i = 0; i < 100; i++) {
      assertReal(lookup(chain, name("S", i)));
    }
    assertThat(proxy.queries() - before).isEqualTo(100);
    CacheStats s = chain.layerStats().get("memcache");
    assertThat(s.rejected()).isZero();
    assertThat(s.errors()).isEqualTo(errors);
  }

  /** Lookups carry on through DNS and the other server, without errors and without waiting. */
  @Test
  void aServerKilledMidRunIsBypassed() throws Exception {
    KeyLookupChain chain = chain();
    for (int i = 0; i < 100; i++) {
      assertReal(lookup(chain, name("k", i)));
    }
    awaitItems(101);
    int before = proxy.queries();
    b.kill();
    long worst = 0;
    for (int i = 0; i < 100; i++) {
      long t0 = System.nanoTime();
      assertReal(lookup(chain, name("k", i)));
      worst = Math.max(worst, System.nanoTime() - t0);
    }
    int fromDns = proxy.queries() - before;
    assertThat(fromDns).as("names that lived on the killed server").isBetween(1, 99);
    assertThat(TimeUnit.NANOSECONDS.toMillis(worst)).as("slowest lookup, ms").isLessThan(1000);
    // A second round: A still serves its names, and B's have moved to it.
    int afterFirst = proxy.queries();
    for (int i = 0; i < 100; i++) {
      assertReal(lookup(chain, name("k", i)));
    }
    assertThat(proxy.queries() - afterFirst).isLessThan(fromDns);
    assertThat(chain.layerStats().get("memcache").rejected()).isZero();
  }

  /**
   * Whoever can write to memcached cannot plant a key: a value with a wrong MAC is ignored and
   * counted, the DNS answer is used and then stored over it.
   */
  @Test
  void aForgedEntryIsRejectedAndTheDnsAnswerUsed() throws Exception {
    KeyLookupChain chain = chain();
    String name = "evil._domainkey." + FARM;
    byte[] forged = forgedValue("v=DKIM1; k=rsa; p=ATTACKER");
    for (MemcachedProcess server : List.of(a, b)) {
      MemcachedClient raw = new MemcachedClient(server.address());
      try {
        // the cache module's key form for a printable name: "inkan:" and the normalised name
        assertThat(raw.set("inkan:" + name, 300, forged).get(2, TimeUnit.SECONDS)).isTrue();
      } finally {
        raw.shutdown();
      }
    }
    int before = proxy.queries();
    long errors = chain.layerStats().get("memcache").errors(); // the warm-up may have had some
    assertReal(lookup(chain, name));
    assertThat(proxy.queries() - before).isEqualTo(1);
    CacheStats s = chain.layerStats().get("memcache");
    assertThat(s.rejected()).isEqualTo(1);
    assertThat(s.errors()).isEqualTo(errors);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long hits = s.hits();
    while (System.nanoTime() < deadline) {
      assertReal(lookup(chain, name));
      if (chain.layerStats().get("memcache").hits() > hits) {
        break;
      }
      Thread.sleep(20);
    }
    assertThat(chain.layerStats().get("memcache").hits())
        .as("the real answer, stored")
        .isGreaterThan(hits);
    assertThat(chain.layerStats().get("memcache").rejected()).isEqualTo(1);
  }

  /**
   * A value in the memcached format ({@code IK}, format version 1, answer type, expiry, payload)
   * whose MAC is made up: what a process without the cluster secret could write.
   */
  private static byte[] forgedValue(String record) {
    byte[] payload =
        KeyLookupCodec.encode(
                KeyLookupResult.Found.of(record), Instant.now().plus(Duration.ofHours(1)))
            .data();
    ByteBuffer out = ByteBuffer.allocate(2 + 10 + payload.length + 32);
    out.put("IK".getBytes(StandardCharsets.US_ASCII));
    out.put((byte) 1);
    out.put((byte) 1);
    out.putLong(Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
    out.put(payload);
    out.put(new byte[32]);
    return out.array();
  }
}
