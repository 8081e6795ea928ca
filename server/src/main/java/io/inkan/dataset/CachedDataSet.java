package io.inkan.dataset;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Remembers a remote set's answers, hits for one time-to-live and misses for another (0: not
 * remembered), at most {@code maxEntries} hits and as many misses, the least recently used first
 * out (misses are bounded apart, so a flood of unknown senders never pushes out known keys).
 * Concurrent lookups of a key that is not remembered share one lookup of the set below (single
 * flight). "Unavailable" is never remembered. Keys of a set that ignores case are remembered by
 * their ASCII lower case.
 */
public final class CachedDataSet implements DataSet {
  /** How many found entries, and separately how many misses, a set remembers by default. */
  public static final int MAX_ENTRIES = 200_000;

  private record Answer(Optional<DataSetEntry> entry, long expiresAt) {}

  private final DataSet inner;
  private final KeyCase keyCase;
  private final long hitNanos;
  private final long missNanos;
  private final LongSupplier clock;
  private final Map<String, Answer> answers; // found entries, least recently used first out
  private final Map<String, Answer>
      misses; // "no such key", bounded apart so they never push out hits
  private final Map<String, CompletableFuture<Optional<DataSetEntry>>> inFlight =
      new ConcurrentHashMap<>();
  private long generation; // guarded by answers
  private final DataSetMetrics metrics;
  private final String kind;

  public CachedDataSet(DataSet inner, KeyCase keyCase, Duration hitTtl, Duration missTtl) {
    this(inner, keyCase, hitTtl, missTtl, MAX_ENTRIES, System::nanoTime);
  }

  /** As above, remembering at most {@code maxEntries} found entries and as many misses. */
  public CachedDataSet(
      DataSet inner, KeyCase keyCase, Duration hitTtl, Duration missTtl, int maxEntries) {
    this(inner, keyCase, hitTtl, missTtl, maxEntries, System::nanoTime);
  }

  /** As above, counting hits and misses in {@code metrics} under the set's {@code kind}. */
  public CachedDataSet(
      DataSet inner,
      KeyCase keyCase,
      Duration hitTtl,
      Duration missTtl,
      int maxEntries,
      DataSetMetrics metrics,
      String kind) {
    this(inner, keyCase, hitTtl, missTtl, maxEntries, System::nanoTime, metrics, kind);
  }

  CachedDataSet(
      DataSet inner,
      KeyCase keyCase,
      Duration hitTtl,
      Duration missTtl,
      int maxEntries,
      LongSupplier clock) {
    this(inner, keyCase, hitTtl, missTtl, maxEntries, clock, DataSetMetrics.NONE, "");
  }

  private CachedDataSet(
      DataSet inner,
      KeyCase keyCase,
      Duration hitTtl,
      Duration missTtl,
      int maxEntries,
      LongSupplier clock,
      DataSetMetrics metrics,
      String kind) {
    if (hitTtl.isNegative() || missTtl.isNegative() || maxEntries < 1) {
      throw new IllegalArgumentException("TTLs must be >= 0 and maxEntries >= 1");
    }
    this.inner = inner;
    this.keyCase = keyCase;
    this.hitNanos = hitTtl.toNanos();
    this.missNanos = missTtl.toNanos();
    this.clock = clock;
    this.answers = lru(maxEntries);
    this.misses = lru(maxEntries);
    this.metrics = metrics;
    this.kind = kind;
  }

  private static Map<String, Answer> lru(int maxEntries) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Answer> eldest) {
        return size() > maxEntries;
      }
    };
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    String k = keyCase == KeyCase.INSENSITIVE ? KeyCase.asciiLower(key) : key;
    Answer known = remembered(k);
    metrics.cache(kind, known != null);
    if (known != null) {
      return known.entry();
    }
    CompletableFuture<Optional<DataSetEntry>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<DataSetEntry>> running = inFlight.putIfAbsent(k, mine);
    if (running != null) {
      return await(running);
    }
    try {
      long started;
      synchronized (answers) {
        started = generation;
      }
      known = remembered(k); // another lookup may have finished since the first look
      Optional<DataSetEntry> entry = known != null ? known.entry() : inner.lookup(key);
      remember(k, entry, started);
      mine.complete(entry);
      return entry;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(k, mine);
    }
  }

  private static Optional<DataSetEntry> await(CompletableFuture<Optional<DataSetEntry>> running) {
    try {
      return running.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DataSetUnavailableException u) {
        throw new DataSetUnavailableException(u.getMessage(), u);
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  private Answer remembered(String k) {
    synchronized (answers) {
      Answer a = answers.get(k);
      Map<String, Answer> in = answers;
      if (a == null) {
        a = misses.get(k);
        in = misses;
      }
      if (a != null && a.expiresAt() - clock.getAsLong() <= 0) {
        in.remove(k);
        return null;
      }
      return a;
    }
  }

  private void remember(String k, Optional<DataSetEntry> entry, long started) {
    long ttl = entry.isPresent() ? hitNanos : missNanos;
    if (ttl <= 0) {
      return;
    }
    synchronized (answers) {
      if (generation == started) {
        answers.remove(k);
        misses.remove(k);
        (entry.isPresent() ? answers : misses).put(k, new Answer(entry, clock.getAsLong() + ttl));
      }
    }
  }

  /** How many answers are remembered now (for tests). */
  int size() {
    synchronized (answers) {
      return answers.size() + misses.size();
    }
  }

  /** The set below the cache. */
  public DataSet inner() {
    return inner;
  }

  @Override
  public void dropCache() {
    synchronized (answers) {
      generation++;
      answers.clear();
      misses.clear();
    }
    inFlight.clear();
    inner.dropCache();
  }

  @Override
  public String spec() {
    return inner.spec();
  }

  @Override
  public Source declaredAt() {
    return inner.declaredAt();
  }

  @Override
  public void close() {
    synchronized (answers) {
      answers.clear();
    }
    inner.close();
  }

  @Override
  public String toString() {
    return "CachedDataSet[" + inner + "]";
  }
}
