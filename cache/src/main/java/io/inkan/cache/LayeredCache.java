package io.inkan.cache;

import java.util.List;
import java.util.Optional;

/**
 * Two caches in front of each other, typically in-process in front of a shared one (JE or
 * memcached). A get asks the first layer, then the second; a hit in the second is copied up with
 * the expiry it has, so its TTL keeps counting down (RFC 2308 §5). A put goes to both.
 */
public final class LayeredCache implements QueryCache {
  private final QueryCache first;
  private final QueryCache second;
  private final StatsRecorder stats = new StatsRecorder("layered");

  public LayeredCache(QueryCache first, QueryCache second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public Optional<CachedAnswer> get(String name) {
    Optional<CachedAnswer> answer = first.get(name);
    if (answer.isEmpty()) {
      answer = second.get(name);
      answer.ifPresent(a -> first.put(name, a));
    }
    if (answer.isPresent()) {
      stats.hit();
    } else {
      stats.miss();
    }
    return answer;
  }

  @Override
  public void put(String name, CachedAnswer answer) {
    first.put(name, answer);
    second.put(name, answer);
  }

  /**
   * Counters of the pair: queries, hits and misses as callers saw them; expired, errors, rejected
   * and other-version summed over the layers; keys those of the second (larger) layer.
   */
  @Override
  public CacheStats stats() {
    CacheStats a = first.stats();
    CacheStats b = second.stats();
    CacheStats own = stats.snapshot(b.keys());
    return new CacheStats(
        own.backend(),
        own.queries(),
        own.hits(),
        own.misses(),
        a.expired() + b.expired(),
        b.keys(),
        a.errors() + b.errors(),
        a.rejected() + b.rejected(),
        a.otherVersion() + b.otherVersion());
  }

  /** Each layer's own counters, first layer first. */
  public List<CacheStats> layerStats() {
    return List.of(first.stats(), second.stats());
  }

  @Override
  public void close() {
    try {
      first.close();
    } finally {
      second.close();
    }
  }
}
