package io.inkan.dns;

import io.inkan.cache.CacheStats;
import io.inkan.dkim.KeyRecordLookup;
import java.util.Map;

/**
 * The key-record lookup a configuration builds ({@link KeyRecordLookups#from}): DNS or a test-key
 * file, behind the query-cache layers it asks for. It owns threads and, with {@code
 * QueryCacheBackend}, a JE environment or memcached connections, so whoever builds one closes it
 * once no message uses it any more (on reload, after the old policy's last message; on stop).
 */
public interface KeyLookupChain extends KeyRecordLookup, AutoCloseable {

  /**
   * Each cache layer's counters since the chain was built, nearest layer first, keyed by backend
   * ({@code memory}, then {@code bdb} or {@code memcache}); empty without a cache.
   */
  Map<String, CacheStats> layerStats();

  /**
   * The counters of {@link #layerStats()} without asking a shared backend (memcached's item count
   * is that of the last statistics), cheap enough for meters read every few seconds.
   */
  default Map<String, CacheStats> layerCounters() {
    return layerStats();
  }

  /** Stops the stats log and closes the caches; lookups still answer afterwards, from DNS. */
  @Override
  void close();
}
