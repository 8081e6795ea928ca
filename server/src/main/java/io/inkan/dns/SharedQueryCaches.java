package io.inkan.dns;

import io.inkan.cache.BdbQueryCache;
import io.inkan.cache.CacheBackendSpec;
import io.inkan.cache.CacheStats;
import io.inkan.cache.CachedAnswer;
import io.inkan.cache.ClusterSecret;
import io.inkan.cache.MemcachedQueryCache;
import io.inkan.cache.QueryCache;
import io.inkan.config.DnsSettings.Located;
import io.inkan.config.DnsSettings.QueryCacheSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the shared layer {@code QueryCacheBackend} names; a setup that cannot work (memcached
 * without a usable {@code QueryCacheSecretFile}, a JE directory that cannot be used) fails with the
 * file and line of the key. JE caches are leased: a reload builds its chain before the old one is
 * closed, and a JE directory can be open only once, so chains share the open cache and the last one
 * to close it closes JE.
 */
final class SharedQueryCaches {
  private static final Logger LOG = LoggerFactory.getLogger(SharedQueryCaches.class);
  private static final Map<Path, Shared> OPEN_BDB = new HashMap<>();

  private SharedQueryCaches() {}

  /** A layer's backend name and cache. */
  record Layer(String name, QueryCache cache) {}

  /**
   * Opens the backend of {@code settings}, which must name one.
   *
   * @throws IOException {@code FILE:LINE: KEY: reason}
   */
  static Layer open(QueryCacheSettings settings, Clock clock) throws IOException {
    Located<CacheBackendSpec> backend = settings.backend().orElseThrow();
    String where = where(backend, "QueryCacheBackend");
    try {
      if (backend.value() instanceof CacheBackendSpec.Memcache memcache) {
        ClusterSecret secret = secret(settings.secretFile(), where);
        return new Layer(
            "memcache",
            MemcachedQueryCache.builder(memcache.addresses(), secret)
                .timeout(Duration.ofMillis(settings.timeoutMillis()))
                .clock(clock)
                .open());
      }
      settings
          .secretFile()
          .ifPresent(
              f ->
                  LOG.warn(
                      "{}ignored: only a memcache: QueryCacheBackend uses it",
                      where(f, "QueryCacheSecretFile")));
      Path dir = ((CacheBackendSpec.Bdb) backend.value()).directory();
      return new Layer("bdb", leaseBdb(dir, settings.maxEntries(), clock));
    } catch (RuntimeException e) {
      throw new IOException(where + e.getMessage(), e);
    }
  }

  /**
   * Checks what {@link #open} needs without opening anything, for a configuration check while a
   * running daemon may hold the JE directory: the secret file, that memcached host names resolve,
   * and that the JE directory is (or can be created as) a writable directory.
   *
   * @throws IOException {@code FILE:LINE: KEY: reason}
   */
  static void check(QueryCacheSettings settings) throws IOException {
    Located<CacheBackendSpec> backend = settings.backend().orElseThrow();
    String where = where(backend, "QueryCacheBackend");
    if (backend.value() instanceof CacheBackendSpec.Memcache memcache) {
      secret(settings.secretFile(), where);
      for (InetSocketAddress server : memcache.addresses()) {
        if (server.isUnresolved()) {
          throw new IOException(
              where + "memcached server " + server.getHostString() + ": unknown host");
        }
      }
      return;
    }
    Path dir = ((CacheBackendSpec.Bdb) backend.value()).directory();
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new IOException(
          where
              + "JE query cache directory "
              + dir
              + ": "
              + existing
              + " is not a writable directory");
    }
  }

  private static ClusterSecret secret(Optional<Located<Path>> file, String where)
      throws IOException {
    if (file.isEmpty()) {
      throw new IOException(
          where
              + "memcache: needs QueryCacheSecretFile, a file of at least "
              + ClusterSecret.MIN_BYTES
              + " secret bytes shared by the cluster, mode 0600 (e.g. openssl rand -base64 48)");
    }
    try {
      return ClusterSecret.readFile(file.get().value());
    } catch (RuntimeException e) {
      throw new IOException(where(file.get(), "QueryCacheSecretFile") + e.getMessage(), e);
    }
  }

  private static String where(Located<?> located, String key) {
    return located.file() + ":" + located.line() + ": " + key + ": ";
  }

  private static synchronized QueryCache leaseBdb(Path dir, long maxEntries, Clock clock) {
    Shared shared = OPEN_BDB.get(dir);
    if (shared == null) {
      shared =
          new Shared(
              BdbQueryCache.builder(dir).maxEntries(maxEntries).clock(clock).open(), maxEntries);
      OPEN_BDB.put(dir, shared);
    } else if (shared.maxEntries != maxEntries) {
      LOG.warn(
          "JE query cache {} stays open with QueryCacheMaxEntries {}; {} applies after a restart",
          dir,
          shared.maxEntries,
          maxEntries);
    }
    shared.leases++;
    return new BdbLease(dir, shared.cache);
  }

  private static synchronized void release(Path dir, BdbQueryCache cache) {
    Shared shared = OPEN_BDB.get(dir);
    if (shared != null && shared.cache == cache && --shared.leases == 0) {
      OPEN_BDB.remove(dir);
      cache.close();
    }
  }

  private static final class Shared {
    final BdbQueryCache cache;
    final long maxEntries;
    int leases;

    Shared(BdbQueryCache cache, long maxEntries) {
      this.cache = cache;
      this.maxEntries = maxEntries;
    }
  }

  /** One chain's use of a shared JE cache; closing it gives the lease back. */
  private static final class BdbLease implements QueryCache {
    private final Path dir;
    private final BdbQueryCache cache;
    private final AtomicBoolean released = new AtomicBoolean();

    BdbLease(Path dir, BdbQueryCache cache) {
      this.dir = dir;
      this.cache = cache;
    }

    @Override
    public Optional<CachedAnswer> get(String name) {
      return cache.get(name);
    }

    @Override
    public void put(String name, CachedAnswer answer) {
      cache.put(name, answer);
    }

    @Override
    public CacheStats stats() {
      return cache.stats();
    }

    @Override
    public void close() {
      if (released.compareAndSet(false, true)) {
        release(dir, cache);
      }
    }
  }
}
