package io.inkan.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The worker pool for signing and verifying: a fixed number of named daemon threads, one per core
 * by default. Milter handlers are called on an event loop and must hand their end-of-message work
 * (hashing, RSA/Ed25519, anything that blocks) to this pool and return at once. A second pool of
 * its own, with more threads, runs lookups that block on SQL or LDAP.
 */
public final class CryptoExecutor implements Executor, AutoCloseable {
  private final ThreadPoolExecutor pool;

  /** One thread per available core. */
  public CryptoExecutor() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param threads number of worker threads, 1 to 1024
   */
  public CryptoExecutor(int threads) {
    this(threads, "inkan-crypto-");
  }

  /**
   * @param threads number of worker threads, 1 to 1024, started on demand
   * @param namePrefix thread names are this and a number
   */
  public CryptoExecutor(int threads, String namePrefix) {
    if (threads < 1 || threads > 1024) {
      throw new IllegalArgumentException("threads: " + threads + " (expected: 1-1024)");
    }
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, namePrefix + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  public int threads() {
    return pool.getCorePoolSize();
  }

  @Override
  public void execute(Runnable task) {
    pool.execute(task);
  }

  /**
   * Runs {@code work} on the pool; a failure or a closed pool completes the stage exceptionally.
   */
  public <T> CompletableFuture<T> supply(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, pool);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Stops taking work; running and queued tasks finish. */
  @Override
  public void close() {
    pool.shutdown();
  }

  /** Waits up to {@code timeout} for queued work to finish after {@link #close()}. */
  public boolean awaitTermination(java.time.Duration timeout) throws InterruptedException {
    return pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }
}
