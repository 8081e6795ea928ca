package io.inkan.cache;

import java.util.concurrent.atomic.LongAdder;

/** Thread-safe counters behind {@link CacheStats}. */
final class StatsRecorder {
  private final String backend;
  private final LongAdder queries = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();
  private final LongAdder expired = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private final LongAdder otherVersion = new LongAdder();

  StatsRecorder(String backend) {
    this.backend = backend;
  }

  void hit() {
    queries.increment();
    hits.increment();
  }

  void miss() {
    queries.increment();
    misses.increment();
  }

  void expired() {
    miss();
    expired.increment();
  }

  void failedGet() {
    miss();
    errors.increment();
  }

  void rejected() {
    miss();
    rejected.increment();
  }

  void otherVersion() {
    miss();
    otherVersion.increment();
  }

  void error() {
    errors.increment();
  }

  CacheStats snapshot(long keys) {
    return new CacheStats(
        backend,
        queries.sum(),
        hits.sum(),
        misses.sum(),
        expired.sum(),
        keys,
        errors.sum(),
        rejected.sum(),
        otherVersion.sum());
  }
}
