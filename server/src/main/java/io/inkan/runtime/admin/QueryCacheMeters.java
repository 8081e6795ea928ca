package io.inkan.runtime.admin;

import io.inkan.cache.CacheStats;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dns.KeyLookupChain;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.ToLongFunction;

/**
 * The query-cache layers' counters as meters that outlive reloads: {@code
 * inkan.querycache.requests} by {@code layer} (in-process, je, memcached) and {@code result} (hit,
 * miss, expired), {@code inkan.querycache.rejected} by {@code layer} and {@code reason} (invalid:
 * failed authentication or malformed; version: another format version), {@code
 * inkan.querycache.errors} by {@code layer} and the gauge {@code inkan.querycache.entries} by
 * {@code layer}. Each chain a policy builds is {@link #track tracked}; when it closes, its counts
 * stay in the totals, so the counters never go back. A layer's meters appear with the first chain
 * that has it.
 */
public final class QueryCacheMeters {
  public static final String REQUESTS = "inkan.querycache.requests";
  public static final String REJECTED = "inkan.querycache.rejected";
  public static final String ERRORS = "inkan.querycache.errors";
  public static final String ENTRIES = "inkan.querycache.entries";

  /** {@link KeyLookupChain#layerStats()}'s backend names to the {@code layer} tag. */
  private static final Map<String, String> LAYERS =
      Map.of("memory", "in-process", "bdb", "je", "memcache", "memcached");

  private final MeterRegistry registry;
  private final List<KeyLookupChain> live = new ArrayList<>(); // guarded by this, newest last
  private final Map<String, CacheStats> retired = new HashMap<>(); // guarded by this
  private final Set<String> bound = new java.util.HashSet<>(); // guarded by this

  public QueryCacheMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts {@code chain}'s layers until it closes, then keeps its counts; returns it wrapped. */
  public synchronized KeyLookupChain track(KeyLookupChain chain) {
    live.add(chain);
    chain.layerCounters().keySet().forEach(this::bind);
    return new Tracked(chain);
  }

  private synchronized void retire(KeyLookupChain chain) {
    if (live.remove(chain)) {
      chain.layerCounters().forEach((name, s) -> retired.merge(name, s, QueryCacheMeters::plus));
    }
  }

  /** One layer's counters over every chain since start. */
  private synchronized long total(String name, ToLongFunction<CacheStats> field) {
    long sum = retired.containsKey(name) ? field.applyAsLong(retired.get(name)) : 0;
    for (KeyLookupChain c : live) {
      CacheStats s = c.layerCounters().get(name);
      sum += s == null ? 0 : field.applyAsLong(s);
    }
    return sum;
  }

  /** The entries the newest chain's layer holds. */
  private synchronized long entries(String name) {
    for (int i = live.size() - 1; i >= 0; i--) {
      CacheStats s = live.get(i).layerCounters().get(name);
      if (s != null) {
        return s.keys();
      }
    }
    return 0;
  }

  private void bind(String name) {
    if (!bound.add(name)) {
      return;
    }
    String layer = LAYERS.getOrDefault(name, name);
    counter(REQUESTS, "Key-record lookups of a query-cache layer", layer, "result", "hit")
        .apply(name, CacheStats::hits);
    counter(REQUESTS, "Key-record lookups of a query-cache layer", layer, "result", "miss")
        .apply(name, s -> s.misses() - s.expired());
    counter(REQUESTS, "Key-record lookups of a query-cache layer", layer, "result", "expired")
        .apply(name, CacheStats::expired);
    String rejected =
        "Shared-cache values ignored: failed authentication, malformed, other version";
    counter(REJECTED, rejected, layer, "reason", "invalid").apply(name, CacheStats::rejected);
    counter(REJECTED, rejected, layer, "reason", "version").apply(name, CacheStats::otherVersion);
    FunctionCounter.builder(ERRORS, this, m -> m.total(name, CacheStats::errors))
        .description("Query-cache backend failures and timeouts (gets and puts)")
        .tag("layer", layer)
        .register(registry);
    Gauge.builder(ENTRIES, this, m -> m.entries(name))
        .description(
            "Entries a query-cache layer holds (memcached: items as of its last statistics)")
        .tag("layer", layer)
        .register(registry);
  }

  /** A function counter of one layer, registered once its field is given. */
  private Binder counter(String meter, String description, String layer, String tag, String value) {
    return (name, field) ->
        FunctionCounter.builder(meter, this, m -> m.total(name, field))
            .description(description)
            .tag("layer", layer)
            .tag(tag, value)
            .register(registry);
  }

  @FunctionalInterface
  private interface Binder {
    void apply(String name, ToLongFunction<CacheStats> field);
  }

  private static CacheStats plus(CacheStats a, CacheStats b) {
    return new CacheStats(
        a.backend(),
        a.queries() + b.queries(),
        a.hits() + b.hits(),
        a.misses() + b.misses(),
        a.expired() + b.expired(),
        b.keys(),
        a.errors() + b.errors(),
        a.rejected() + b.rejected(),
        a.otherVersion() + b.otherVersion());
  }

  /** A chain whose close leaves its counts in the totals. */
  private final class Tracked implements KeyLookupChain {
    private final KeyLookupChain chain;

    Tracked(KeyLookupChain chain) {
      this.chain = chain;
    }

    @Override
    public CompletionStage<KeyLookupResult> lookup(String name) {
      return chain.lookup(name);
    }

    @Override
    public Map<String, CacheStats> layerStats() {
      return chain.layerStats();
    }

    @Override
    public Map<String, CacheStats> layerCounters() {
      return chain.layerCounters();
    }

    @Override
    public void close() {
      retire(chain);
      chain.close();
    }
  }
}
