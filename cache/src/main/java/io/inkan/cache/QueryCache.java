package io.inkan.cache;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A cache of DNS query outcomes keyed by DNS name (compared case-insensitively, RFC 4343; a
 * trailing root dot is ignored). Implementations never throw for a backend failure: a get becomes a
 * miss and a put is dropped, both counted as errors in {@link #stats()}. Expired answers are never
 * returned.
 */
public interface QueryCache extends AutoCloseable {

  /** The live answer for {@code name}, or empty on a miss, an expired entry or a failure. */
  Optional<CachedAnswer> get(String name);

  /**
   * {@link #get} without blocking the caller: a backend that can wait for its answer without
   * holding a thread does so; others ask {@link #get} on {@code blocking}. Never completes
   * exceptionally.
   */
  default CompletionStage<Optional<CachedAnswer>> getAsync(String name, Executor blocking) {
    return CompletableFuture.supplyAsync(() -> get(name), blocking);
  }

  /**
   * Stores {@code answer} for {@code name} until {@link CachedAnswer#expires()}; an answer already
   * expired is ignored.
   */
  void put(String name, CachedAnswer answer);

  /** Counters since the cache was opened. */
  CacheStats stats();

  /**
   * The counters of {@link #stats()} without asking a remote backend, for meters read often: a
   * shared backend's {@code keys} are those of its last {@link #stats()} call.
   */
  default CacheStats counters() {
    return stats();
  }

  /** Releases the backend; later gets miss and later puts are dropped. */
  @Override
  void close();
}
