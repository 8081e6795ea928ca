package io.inkan.dns;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * An in-process cache in front of a key-record lookup ({@code QueryCache yes}): answers live as
 * long as their TTL allows, bounded by a minimum and a maximum; NXDOMAIN and NODATA are cached for
 * a fixed negative TTL (RFC 2308 §5); temporary failures are never cached. Concurrent misses for
 * one name share one query. The shared caches (JE, memcached) come with the query-cache work.
 */
public final class CachingKeyRecordLookup implements KeyRecordLookup {
  /** Limits; TTLs in seconds. */
  public record Limits(
      long minTtl, long maxTtl, long defaultTtl, long negativeTtl, int maxEntries) {
    public static final Limits DEFAULT = new Limits(30, 3600, 300, 300, 100_000);
  }

  private record Entry(KeyLookupResult result, long expiresAtNanos) {}

  private final KeyRecordLookup delegate;
  private final Limits limits;
  private final LongSupplier nanoClock;
  private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, CompletableFuture<KeyLookupResult>> inFlight =
      new ConcurrentHashMap<>();

  public CachingKeyRecordLookup(KeyRecordLookup delegate) {
    this(delegate, Limits.DEFAULT, System::nanoTime);
  }

  public CachingKeyRecordLookup(KeyRecordLookup delegate, Limits limits, LongSupplier nanoClock) {
    this.delegate = delegate;
    this.limits = limits;
    this.nanoClock = nanoClock;
  }

  @Override
  public CompletionStage<KeyLookupResult> lookup(String name) {
    String key = name.toLowerCase(java.util.Locale.ROOT);
    Entry hit = entries.get(key);
    long now = nanoClock.getAsLong();
    if (hit != null) {
      if (hit.expiresAtNanos() - now > 0) {
        return CompletableFuture.completedFuture(hit.result());
      }
      entries.remove(key, hit);
    }
    CompletableFuture<KeyLookupResult> mine = new CompletableFuture<>();
    CompletableFuture<KeyLookupResult> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    delegate
        .lookup(name)
        .whenComplete(
            (result, error) -> {
              KeyLookupResult r =
                  error != null ? new KeyLookupResult.TempFail("lookup failed: " + error) : result;
              store(key, r);
              inFlight.remove(key, mine);
              mine.complete(r);
            });
    return mine;
  }

  /** Entries held now, expired ones included until they are next touched or swept. */
  public int size() {
    return entries.size();
  }

  private void store(String key, KeyLookupResult r) {
    long ttl = ttlSeconds(r);
    if (ttl <= 0) {
      return;
    }
    if (entries.size() >= limits.maxEntries()) {
      sweep();
      if (entries.size() >= limits.maxEntries()) {
        return;
      }
    }
    entries.put(key, new Entry(r, nanoClock.getAsLong() + Duration.ofSeconds(ttl).toNanos()));
  }

  private long ttlSeconds(KeyLookupResult r) {
    if (r instanceof KeyLookupResult.TempFail) {
      return 0;
    }
    if (r instanceof KeyLookupResult.Found found) {
      long ttl =
          found.records().stream()
              .mapToLong(t -> t.ttl().orElse(limits.defaultTtl()))
              .min()
              .orElse(limits.defaultTtl());
      return Math.max(limits.minTtl(), Math.min(limits.maxTtl(), ttl));
    }
    return limits.negativeTtl();
  }

  private void sweep() {
    long now = nanoClock.getAsLong();
    entries.entrySet().removeIf(e -> e.getValue().expiresAtNanos() - now <= 0);
  }
}
