package io.inkan.cache;

import com.sleepycat.je.DatabaseException;
import com.sleepycat.je.LockConflictException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local query cache in a Berkeley DB Java Edition directory ({@code bdb:/var/lib/inkan/cache}):
 * answers survive a restart, the number of entries is bounded (the oldest-expiring are evicted
 * first), expired entries are never served and are swept in the background. One process at a time
 * may open a directory; JE's lock on {@code je.lck} turns a second one away.
 */
public final class BdbQueryCache implements QueryCache {
  private static final Logger LOG = LoggerFactory.getLogger(BdbQueryCache.class);
  private static final Set<Path> OPEN = ConcurrentHashMap.newKeySet();
  private static final int VERSION = 1;
  private static final int BATCH = 500;
  private static final byte[] NO_PREFIX = {};

  private final Path directory;
  private final BdbStore store;
  private final long maxEntries;
  private final Clock clock;
  private final StatsRecorder stats = new StatsRecorder("bdb");
  private final ThrottledLog failures = new ThrottledLog(LOG);
  private final AtomicLong keys;
  private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final ReentrantLock evicting = new ReentrantLock();
  private final ScheduledExecutorService sweeper;
  private boolean closed;

  private BdbQueryCache(Builder b, Path directory) {
    this.directory = directory;
    this.maxEntries = b.maxEntries;
    this.clock = b.clock;
    this.store = BdbStore.open(directory, b.cacheBytes);
    this.keys = new AtomicLong(store.count());
    if (b.sweepInterval.isZero()) {
      this.sweeper = null;
    } else {
      this.sweeper =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "inkan-bdb-sweep");
                t.setDaemon(true);
                return t;
              });
      long every = b.sweepInterval.toMillis();
      sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** A builder for a cache in {@code directory} (created if missing). */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  @Override
  public Optional<CachedAnswer> get(String name) {
    lifecycle.readLock().lock();
    try {
      byte[] value = closed ? null : store.get(key(name));
      if (value == null) {
        stats.miss();
        return Optional.empty();
      }
      CachedAnswer answer =
          AnswerCodec.version(value, 0) == VERSION
              ? AnswerCodec.decode(value, 0, value.length)
              : null;
      if (answer == null) {
        stats.failedGet();
        failures.warn("JE query cache " + directory + ": unreadable entry for " + name, null);
        return Optional.empty();
      }
      if (answer.isExpiredAt(clock.instant())) {
        stats.expired();
        return Optional.empty();
      }
      stats.hit();
      return Optional.of(answer);
    } catch (DatabaseException e) {
      stats.failedGet();
      failures.warn("JE query cache " + directory + ": get failed", e);
      return Optional.empty();
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  @Override
  public void put(String name, CachedAnswer answer) {
    if (answer.isExpiredAt(clock.instant())) {
      return;
    }
    lifecycle.readLock().lock();
    try {
      if (!closed && store.put(key(name), AnswerCodec.encode(NO_PREFIX, VERSION, answer, 0))) {
        if (keys.incrementAndGet() > maxEntries) {
          evictOverflow();
        }
      }
    } catch (DatabaseException e) {
      stats.error();
      failures.warn("JE query cache " + directory + ": put failed", e);
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /**
   * Deletes every expired entry now (the background sweeper calls this too) and re-counts the
   * entries; returns how many were deleted.
   */
  public int sweep() {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        return 0;
      }
      int total = 0;
      int n;
      do {
        n = store.deleteOldest(BATCH, clock.millis());
        keys.addAndGet(-n);
        total += n;
      } while (n == BATCH);
      keys.set(store.count());
      return total;
    } catch (DatabaseException e) {
      stats.error();
      failures.warn("JE query cache " + directory + ": sweep failed", e);
      return 0;
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Evicts the oldest-expiring entries beyond the bound; one thread at a time, others skip. */
  private void evictOverflow() {
    if (!evicting.tryLock()) {
      return;
    }
    try {
      long over;
      while ((over = keys.get() - maxEntries) > 0) {
        int n = store.deleteOldest((int) Math.min(over, BATCH), Long.MAX_VALUE);
        if (n == 0) {
          keys.set(store.count());
          return;
        }
        keys.addAndGet(-n);
      }
    } catch (LockConflictException e) {
      // writers hold the oldest entries right now: the next put evicts them; not an error
    } finally {
      evicting.unlock();
    }
  }

  @Override
  public CacheStats stats() {
    return stats.snapshot(Math.max(0, keys.get()));
  }

  /** The directory, resolved. */
  public Path directory() {
    return directory;
  }

  private static byte[] key(String name) {
    return DnsNames.normalise(name).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.shutdownNow();
    }
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      store.close();
    } catch (DatabaseException e) {
      LOG.warn("JE query cache {}: close failed: {}", directory, e.toString());
    } finally {
      OPEN.remove(directory);
      lifecycle.writeLock().unlock();
    }
  }

  /** Settings for {@link BdbQueryCache}; {@link #open()} turns them into an open cache. */
  public static final class Builder {
    private final Path directory;
    private long maxEntries = 100_000;
    private long cacheBytes = 16L << 20;
    private Duration sweepInterval = Duration.ofMinutes(1);
    private Clock clock = Clock.systemUTC();

    private Builder(Path directory) {
      this.directory = directory;
    }

    /** Most entries kept (default 100,000); beyond it the oldest-expiring are evicted. */
    public Builder maxEntries(long maxEntries) {
      if (maxEntries < 1) {
        throw new IllegalArgumentException("maxEntries must be at least 1, got " + maxEntries);
      }
      this.maxEntries = maxEntries;
      return this;
    }

    /** JE's in-memory cache size (default 16 MiB, at least 1 MiB). */
    public Builder cacheBytes(long cacheBytes) {
      if (cacheBytes < (1L << 20)) {
        throw new IllegalArgumentException("cacheBytes must be at least 1 MiB, got " + cacheBytes);
      }
      this.cacheBytes = cacheBytes;
      return this;
    }

    /** How often expired entries are swept (default 1 minute); zero turns the sweeper off. */
    public Builder sweepInterval(Duration sweepInterval) {
      if (sweepInterval.isNegative()) {
        throw new IllegalArgumentException("sweepInterval must not be negative");
      }
      this.sweepInterval = sweepInterval;
      return this;
    }

    /** The clock deciding expiry (default the system clock). */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Opens the cache.
     *
     * @throws CacheSetupException if the directory cannot be created or is already in use, by this
     *     process or another
     */
    public BdbQueryCache open() {
      Path dir;
      try {
        Files.createDirectories(directory);
        dir = directory.toRealPath();
      } catch (IOException e) {
        throw new CacheSetupException(
            "cannot create JE query cache directory " + directory + ": " + e, e);
      }
      if (!OPEN.add(dir)) {
        throw new CacheSetupException("JE query cache " + dir + " is already open in this process");
      }
      try {
        return new BdbQueryCache(this, dir);
      } catch (RuntimeException e) {
        OPEN.remove(dir);
        throw e;
      }
    }
  }
}
