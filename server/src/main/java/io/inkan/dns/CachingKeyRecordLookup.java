package io.inkan.dns;

import io.inkan.cache.CacheStats;
import io.inkan.cache.DnsNames;
import io.inkan.cache.QueryCache;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key records through the query-cache layers: in process ({@code QueryCache yes}), then shared
 * ({@code QueryCacheBackend}: JE or memcached), then DNS. A hit in a layer is served as stored; a
 * hit in the shared layer is copied into the in-process one with the time it has left; misses for
 * one name that overlap make one query below the in-process layer (single flight). Answers live as
 * {@link CacheTtls} says (RFC 2308 §5 for NXDOMAIN and NODATA); temporary failures only briefly,
 * and only in process. Every five minutes each layer's counters are logged in OpenDKIM's form.
 */
public final class CachingKeyRecordLookup implements KeyLookupChain {
  private static final Logger LOG = LoggerFactory.getLogger(CachingKeyRecordLookup.class);
  private static final Duration STATS_INTERVAL = Duration.ofMinutes(5);
  private static final int BLOCKING_THREADS = 32;

  private final AnswerSource top;
  private final Map<String, QueryCache> layers;
  private final ExecutorService blocking;
  private final ScheduledExecutorService statsLog;
  private final AtomicBoolean closed = new AtomicBoolean();

  private CachingKeyRecordLookup(Builder b) {
    Map<String, QueryCache> named = new LinkedHashMap<>();
    AnswerSource chain = new DnsAnswers(b.dns, b.ttls, b.clock);
    if (b.shared != null) {
      blocking = blockingPool();
      chain = new CacheLayer(b.shared, chain, inlineWhenRejected(blocking), b.clock, false);
    } else {
      blocking = null;
    }
    chain = new SingleFlight(chain, b.clock);
    if (b.memory != null) {
      chain = new CacheLayer(b.memory, chain, null, b.clock, true);
      named.put("memory", b.memory);
    }
    if (b.shared != null) {
      named.put(b.sharedName, b.shared);
    }
    this.top = chain;
    this.layers = Collections.unmodifiableMap(named);
    this.statsLog = Executors.newSingleThreadScheduledExecutor(daemon("inkan-querycache-stats"));
    long every = b.statsInterval.toMillis();
    statsLog.scheduleAtFixedRate(this::logStats, every, every, TimeUnit.MILLISECONDS);
  }

  /** A chain in front of {@code dns}; add at least one layer. */
  static Builder builder(KeyRecordLookup dns) {
    return new Builder(dns);
  }

  @Override
  public CompletionStage<KeyLookupResult> lookup(String name) {
    try {
      return top.answer(DnsNames.normalise(name))
          .handle(
              (answer, failure) ->
                  answer != null
                      ? answer.result()
                      : new KeyLookupResult.TempFail(name + ": lookup failed: " + failure));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new KeyLookupResult.TempFail(name + ": lookup failed: " + e));
    }
  }

  @Override
  public Map<String, CacheStats> layerStats() {
    Map<String, CacheStats> stats = new LinkedHashMap<>();
    layers.forEach((name, cache) -> stats.put(name, cache.stats()));
    return stats;
  }

  @Override
  public Map<String, CacheStats> layerCounters() {
    Map<String, CacheStats> stats = new LinkedHashMap<>();
    layers.forEach((name, cache) -> stats.put(name, cache.counters()));
    return stats;
  }

  /**
   * OpenDKIM's line per layer, {@code cache: N queries, N hits (P%), N expired, N keys}, the layer
   * named after it.
   */
  List<String> statsLines() {
    List<String> lines = new ArrayList<>();
    layerStats().forEach((name, s) -> lines.add(s.toLogLine() + " (" + name + " layer)"));
    return lines;
  }

  private void logStats() {
    try {
      statsLines().forEach(LOG::info);
    } catch (RuntimeException e) {
      LOG.warn("query cache statistics failed: {}", e.toString());
    }
  }

  /**
   * Stops the statistics, lets pending cache writes finish (up to 5 s), then closes the layers.
   * Lookups made afterwards go to DNS.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    statsLog.shutdownNow();
    if (blocking != null) {
      blocking.shutdown();
      try {
        if (!blocking.awaitTermination(5, TimeUnit.SECONDS)) {
          blocking.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        blocking.shutdownNow();
      }
    }
    layers.forEach(
        (name, layer) -> {
          try {
            layer.close();
          } catch (RuntimeException e) {
            LOG.warn("closing the {} query cache failed: {}", name, e.toString());
          }
        });
  }

  /** Threads for the shared layer's gets and puts, each bounded by the backend's own timeout. */
  private static ExecutorService blockingPool() {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            BLOCKING_THREADS,
            BLOCKING_THREADS,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            daemon("inkan-querycache-"));
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /** Once closed, the layer's (closed, missing) cache is asked on the caller's thread. */
  private static Executor inlineWhenRejected(Executor executor) {
    return task -> {
      try {
        executor.execute(task);
      } catch (RejectedExecutionException e) {
        task.run();
      }
    };
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix.endsWith("-") ? prefix + n.incrementAndGet() : prefix);
      t.setDaemon(true);
      return t;
    };
  }

  /** What a {@link CachingKeyRecordLookup} is made of. */
  static final class Builder {
    private final KeyRecordLookup dns;
    private QueryCache memory;
    private QueryCache shared;
    private String sharedName;
    private CacheTtls ttls = CacheTtls.DEFAULTS;
    private Clock clock = Clock.systemUTC();
    private Duration statsInterval = STATS_INTERVAL;

    private Builder(KeyRecordLookup dns) {
      this.dns = dns;
    }

    /** The in-process layer, which the chain closes. */
    Builder memory(QueryCache memory) {
      this.memory = memory;
      return this;
    }

    /** The shared layer (JE or memcached), named for the statistics; the chain closes it. */
    Builder shared(String name, QueryCache shared) {
      this.sharedName = name;
      this.shared = shared;
      return this;
    }

    Builder ttls(CacheTtls ttls) {
      this.ttls = ttls;
      return this;
    }

    /** The clock deciding expiry; the layers' caches must use the same one. */
    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    Builder statsInterval(Duration statsInterval) {
      if (statsInterval.toMillis() < 1) {
        throw new IllegalArgumentException("statsInterval must be at least 1 ms");
      }
      this.statsInterval = statsInterval;
      return this;
    }

    CachingKeyRecordLookup build() {
      if (memory == null && shared == null) {
        throw new IllegalStateException("a caching lookup needs at least one layer");
      }
      return new CachingKeyRecordLookup(this);
    }
  }
}
