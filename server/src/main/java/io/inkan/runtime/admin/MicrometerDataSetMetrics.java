package io.inkan.runtime.admin;

import io.inkan.dataset.DataSetMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * Data sets as meters: {@code inkan.dataset.lookups} by {@code kind} and {@code result} (hit, miss,
 * error), {@code inkan.dataset.cache.requests} by {@code kind} (dsn, ldap) and {@code result} (hit,
 * miss), all registered at start; and {@code inkan.dataset.up} by {@code kind} and {@code name}
 * (the specification, passwords masked): 1 while every open set of that name reaches its server, 0
 * when one does not, gone when the last one closes. One per registry, kept across reloads (the sets
 * of the old and the new policy overlap for a while).
 */
public final class MicrometerDataSetMetrics implements DataSetMetrics {
  public static final String LOOKUPS = "inkan.dataset.lookups";
  public static final String CACHE = "inkan.dataset.cache.requests";
  public static final String UP = "inkan.dataset.up";

  /** The backends a lookup is counted for. */
  static final List<String> KINDS = List.of("file", "refile", "csl", "db", "dsn", "ldap");

  /** The backends whose answers {@link io.inkan.dataset.CachedDataSet} keeps. */
  static final List<String> CACHED_KINDS = List.of("dsn", "ldap");

  private final MeterRegistry registry;
  private final Map<String, Counter> lookups = new ConcurrentHashMap<>();
  private final Map<String, Counter> cache = new ConcurrentHashMap<>();
  private final Map<List<String>, Watched> watched = new ConcurrentHashMap<>();

  public MicrometerDataSetMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (String kind : KINDS) {
      for (Result r : Result.values()) {
        lookups.put(
            kind + '\0' + r.tag(),
            Counter.builder(LOOKUPS)
                .description("Data-set lookups (KeyTable, SigningTable, ...) by backend and result")
                .tag("kind", kind)
                .tag("result", r.tag())
                .register(registry));
      }
    }
    for (String kind : CACHED_KINDS) {
      for (String r : List.of("hit", "miss")) {
        cache.put(
            kind + '\0' + r,
            Counter.builder(CACHE)
                .description("Lookups of the SQL and LDAP answer caches (DataSetCacheTTL)")
                .tag("kind", kind)
                .tag("result", r)
                .register(registry));
      }
    }
  }

  @Override
  public void lookup(String kind, Result result) {
    Counter c = lookups.get(kind + '\0' + result.tag());
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public void cache(String kind, boolean hit) {
    Counter c = cache.get(kind + '\0' + (hit ? "hit" : "miss"));
    if (c != null) {
      c.increment();
    }
  }

  @Override
  public Registration reachable(String kind, String name, BooleanSupplier up) {
    List<String> key = List.of(kind, name);
    synchronized (watched) {
      watched.computeIfAbsent(key, k -> new Watched(kind, name)).sets.add(up);
    }
    return () -> {
      synchronized (watched) {
        Watched w = watched.get(key);
        if (w != null && w.sets.remove(up) && w.sets.isEmpty()) {
          watched.remove(key);
          registry.remove(w.gauge);
        }
      }
    };
  }

  /** The sets open under one name and their gauge. */
  private final class Watched {
    final List<BooleanSupplier> sets = new CopyOnWriteArrayList<>();
    final Meter gauge;

    Watched(String kind, String name) {
      gauge =
          Gauge.builder(UP, this, w -> w.up() ? 1 : 0)
              .description("1 while an LDAP or SQL data set reaches its server, else 0")
              .tag("kind", kind)
              .tag("name", name)
              .strongReference(true)
              .register(registry);
    }

    boolean up() {
      return sets.stream().allMatch(BooleanSupplier::getAsBoolean);
    }
  }
}
