package io.inkan.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The in-process layer: a bounded Caffeine cache whose entries live as long as their answer's TTL
 * (RFC 2308 §5 for negative answers). Entries are kept a few seconds past expiry, never served, so
 * a lookup can tell an expired entry from an absent one.
 */
public final class CaffeineQueryCache implements QueryCache {
  static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration MAX_LIFETIME = Duration.ofDays(365 * 100);

  private final Cache<String, CachedAnswer> cache;
  private final Clock clock;
  private final StatsRecorder stats = new StatsRecorder("memory");

  /** A cache of at most {@code maxEntries} answers on the system clock. */
  public CaffeineQueryCache(long maxEntries) {
    this(maxEntries, Clock.systemUTC());
  }

  /** A cache of at most {@code maxEntries} answers; {@code clock} drives expiry (tests). */
  public CaffeineQueryCache(long maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
    }
    this.clock = clock;
    this.cache =
        Caffeine.newBuilder()
            .maximumSize(maxEntries)
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .expireAfter(new AnswerExpiry(clock))
            .build();
  }

  @Override
  public Optional<CachedAnswer> get(String name) {
    String key = DnsNames.normalise(name);
    CachedAnswer answer = cache.getIfPresent(key);
    if (answer == null) {
      stats.miss();
      return Optional.empty();
    }
    if (answer.isExpiredAt(clock.instant())) {
      cache.asMap().remove(key, answer);
      stats.expired();
      return Optional.empty();
    }
    stats.hit();
    return Optional.of(answer);
  }

  @Override
  public void put(String name, CachedAnswer answer) {
    if (!answer.isExpiredAt(clock.instant())) {
      cache.put(DnsNames.normalise(name), answer);
    }
  }

  @Override
  public CacheStats stats() {
    return stats.snapshot(cache.estimatedSize());
  }

  /** Runs Caffeine's pending maintenance (evictions, expirations) now; for tests. */
  void cleanUp() {
    cache.cleanUp();
  }

  @Override
  public void close() {
    cache.invalidateAll();
  }

  /** Per-entry lifetime: the answer's remaining TTL plus {@link #GRACE}. */
  private record AnswerExpiry(Clock clock) implements Expiry<String, CachedAnswer> {
    @Override
    public long expireAfterCreate(String key, CachedAnswer value, long currentTime) {
      Duration lifetime = value.remainingTtl(clock.instant()).plus(GRACE);
      return (lifetime.compareTo(MAX_LIFETIME) > 0 ? MAX_LIFETIME : lifetime).toNanos();
    }

    @Override
    public long expireAfterUpdate(
        String key, CachedAnswer value, long currentTime, long currentDuration) {
      return expireAfterCreate(key, value, currentTime);
    }

    @Override
    public long expireAfterRead(
        String key, CachedAnswer value, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
