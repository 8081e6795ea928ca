package io.inkan.keys.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.DN;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.keys.DomainKeySource.DirectoryKey;
import io.inkan.keys.DomainKeySource.KeyOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedKeyLookupTest {
  private static final Duration HIT = Duration.ofMinutes(5);
  private static final Duration MISS = Duration.ofMinutes(1);

  /** A directory in a map, counting searches; a search may wait for a latch or fail. */
  private static final class Directory implements KeyLookup {
    final Map<String, DomainKeys> domains = new ConcurrentHashMap<>();
    final AtomicInteger searches = new AtomicInteger();
    volatile CountDownLatch gate;
    volatile CountDownLatch entered = new CountDownLatch(1);
    volatile boolean down;

    @Override
    public DomainKeys lookup(String domain) {
      searches.incrementAndGet();
      DomainKeys answer = domains.getOrDefault(domain, DomainKeys.NONE); // read, then wait
      entered.countDown();
      CountDownLatch g = gate;
      if (g != null) {
        try {
          g.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (down) {
        throw new DataSetUnavailableException("directory down", null);
      }
      return answer;
    }
  }

  private static DomainKeys keys(String domain, UUID id) throws Exception {
    DN dn = new DN("DKIMSelector=s,dc=" + domain + ",ou=dkim,dc=example,dc=com");
    KeyEntry e =
        new KeyEntry(
            dn,
            new DirectoryKey(null, Optional.empty(), KeyOptions.DEFAULTS, dn.toString()),
            Optional.empty(),
            Optional.empty());
    return new DomainKeys(List.of(e), Set.of(id));
  }

  private final Directory directory = new Directory();
  private final AtomicLong now = new AtomicLong();
  private final CachedKeyLookup cache = new CachedKeyLookup(directory, HIT, MISS, 3, now::get);

  @Test
  void hitsLiveForTheTtlAndMissesForTheNegativeTtl() throws Exception {
    directory.domains.put("a", keys("a", UUID.randomUUID()));
    assertThat(cache.lookup("a").entries()).hasSize(1);
    assertThat(cache.lookup("b").entries()).isEmpty();
    directory.domains.remove("a");
    directory.domains.put("b", keys("b", UUID.randomUUID()));
    now.addAndGet(MISS.toNanos() - 1);
    assertThat(cache.lookup("a").entries()).hasSize(1);
    assertThat(cache.lookup("b").entries()).isEmpty();
    now.addAndGet(1);
    assertThat(cache.lookup("b").entries()).hasSize(1);
    assertThat(cache.lookup("a").entries()).hasSize(1);
    now.addAndGet(HIT.toNanos());
    assertThat(cache.lookup("a").entries()).isEmpty();
    assertThat(directory.searches.get()).isEqualTo(4);
  }

  @Test
  void anUnreachableDirectoryIsServedFromMemoryUntilTheTtlThenFails() throws Exception {
    directory.domains.put("a", keys("a", UUID.randomUUID()));
    cache.lookup("a");
    directory.down = true;
    now.addAndGet(HIT.toNanos() - 1);
    assertThat(cache.lookup("a").entries()).hasSize(1);
    now.addAndGet(1);
    assertThatThrownBy(() -> cache.lookup("a")).isInstanceOf(DataSetUnavailableException.class);
    assertThatThrownBy(() -> cache.lookup("a")).isInstanceOf(DataSetUnavailableException.class);
    directory.down = false;
    assertThat(cache.lookup("a").entries()).hasSize(1);
  }

  @Test
  void concurrentMissesOfOneDomainShareOneSearch() throws Exception {
    directory.domains.put("a", keys("a", UUID.randomUUID()));
    directory.gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<DomainKeys>> answers = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        answers.add(pool.submit(() -> cache.lookup("a")));
      }
      assertThat(directory.entered.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(200); // the others queue up behind the first
      directory.gate.countDown();
      for (Future<DomainKeys> f : answers) {
        assertThat(f.get(5, TimeUnit.SECONDS).entries()).hasSize(1);
      }
      assertThat(directory.searches.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentFailuresAreSharedAndNotRemembered() throws Exception {
    directory.down = true;
    directory.gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<DomainKeys>> answers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        answers.add(pool.submit(() -> cache.lookup("a")));
      }
      directory.entered.await(5, TimeUnit.SECONDS);
      Thread.sleep(100);
      directory.gate.countDown();
      for (Future<DomainKeys> f : answers) {
        assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
            .hasCauseInstanceOf(DataSetUnavailableException.class);
      }
      assertThat(cache.size()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aChangeDuringASearchKeepsItsAnswerOutOfTheCache() throws Exception {
    directory.domains.put("a", keys("a", UUID.randomUUID()));
    directory.gate = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<DomainKeys> first = pool.submit(() -> cache.lookup("a"));
      directory.entered.await(5, TimeUnit.SECONDS);
      cache.forget("a"); // the entry changed while the search ran
      directory.domains.remove("a");
      directory.gate.countDown();
      assertThat(first.get(5, TimeUnit.SECONDS).entries()).hasSize(1); // read before the change
      directory.gate = null;
      assertThat(cache.lookup("a").entries()).isEmpty();
      assertThat(directory.searches.get()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void forgettingByDomainByEntryUuidAndEverything() throws Exception {
    UUID idA = UUID.randomUUID();
    directory.domains.put("a", keys("a", idA));
    directory.domains.put("b", keys("b", UUID.randomUUID()));
    cache.lookup("a");
    cache.lookup("b");
    assertThat(cache.size()).isEqualTo(2);
    cache.forget("b");
    assertThat(cache.size()).isEqualTo(1);
    cache.forget(UUID.randomUUID());
    assertThat(cache.size()).isEqualTo(1);
    cache.forget(idA);
    assertThat(cache.size()).isZero();
    cache.lookup("a");
    cache.lookup("b");
    cache.forgetAll();
    assertThat(cache.size()).isZero();
    cache.forget(idA); // the index was emptied too
  }

  @Test
  void atMostMaxDomainsAreRemembered() {
    for (String d : List.of("a", "b", "c", "d")) {
      cache.lookup(d);
    }
    assertThat(cache.size()).isEqualTo(3);
    int before = directory.searches.get();
    cache.lookup("a"); // the oldest went first
    assertThat(directory.searches.get()).isEqualTo(before + 1);
    cache.lookup("d");
    assertThat(directory.searches.get()).isEqualTo(before + 1);
  }

  @Test
  void zeroTtlsRememberNothing() {
    CachedKeyLookup none =
        new CachedKeyLookup(directory, Duration.ZERO, Duration.ZERO, 10, now::get);
    none.lookup("a");
    none.lookup("a");
    assertThat(directory.searches.get()).isEqualTo(2);
  }
}
