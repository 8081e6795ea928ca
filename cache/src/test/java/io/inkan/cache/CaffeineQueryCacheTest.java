package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CaffeineQueryCacheTest {
  private final MutableClock clock = new MutableClock();

  @Test
  void storesAndFindsCaseInsensitively() {
    CaffeineQueryCache cache = new CaffeineQueryCache(100, clock);
    cache.put(
        "Sel._DomainKey.Example.COM.", Answers.txt("v=DKIM1; p=abc", Duration.ofMinutes(5), clock));

    assertThat(cache.get("sel._domainkey.example.com"))
        .map(Answers::text)
        .contains("v=DKIM1; p=abc");
    assertThat(cache.get("other.example.com")).isEmpty();
    CacheStats stats = cache.stats();
    assertThat(stats.queries()).isEqualTo(2);
    assertThat(stats.hits()).isEqualTo(1);
    assertThat(stats.misses()).isEqualTo(1);
    assertThat(stats.keys()).isEqualTo(1);
  }

  @Test
  void expiredAnswersAreNotServedAndAreCounted() {
    CaffeineQueryCache cache = new CaffeineQueryCache(100, clock);
    cache.put("a.example", Answers.txt("x", Duration.ofSeconds(30), clock));
    CachedAnswer nx =
        CachedAnswer.expiringIn(AnswerType.NXDOMAIN, null, Duration.ofSeconds(60), clock);
    cache.put("b.example", nx);

    clock.advance(Duration.ofSeconds(29));
    assertThat(cache.get("a.example")).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(cache.get("a.example")).isEmpty();
    assertThat(cache.get("b.example")).contains(nx);
    assertThat(cache.stats().expired()).isEqualTo(1);

    clock.advance(Duration.ofMinutes(5));
    cache.cleanUp();
    assertThat(cache.get("b.example")).isEmpty();
    assertThat(cache.stats().keys()).isZero();
  }

  @Test
  void alreadyExpiredAnswersAreNotStored() {
    CaffeineQueryCache cache = new CaffeineQueryCache(100, clock);
    cache.put("a.example", new CachedAnswer(AnswerType.ANSWER, new byte[1], clock.instant()));
    assertThat(cache.stats().keys()).isZero();
  }

  @Test
  void staysWithinItsBound() {
    CaffeineQueryCache cache = new CaffeineQueryCache(50, clock);
    for (int i = 0; i < 500; i++) {
      cache.put("n" + i + ".example", Answers.txt("x", Duration.ofHours(1), clock));
    }
    cache.cleanUp();
    assertThat(cache.stats().keys()).isLessThanOrEqualTo(50);
  }

  @Test
  void concurrentUseSmokeTest() throws Exception {
    CaffeineQueryCache cache = new CaffeineQueryCache(1000, clock);
    ConcurrencySmoke.run(cache, clock, 8, 5_000);
    assertThat(cache.stats().hits()).isPositive();
  }
}
