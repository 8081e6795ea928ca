package io.inkan.keys.health;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.keys.tools.KeyCheck;
import io.inkan.keys.tools.KeyCheckResult;
import io.inkan.keys.tools.KeyCheckResult.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks, every interval, that each watched key's published record still matches its private key
 * ({@link KeyCheck}, as {@code inkan testkey} does): a botched rotation shows in the metrics and
 * one WARN per key and change of state, not in failing verifications at the receivers.
 *
 * <p>Lookups run one after another on one daemon thread, at most {@value #MAX_LOOKUPS_PER_SECOND} a
 * second. A DNS error (timeout, SERVFAIL) is counted but leaves the key's verdict as it was: the
 * record may be fine, and DNS failures have meters of their own.
 *
 * <p>Meters: {@code inkan.key.record.ok{domain,selector}} (1 matches, 0 does not: missing, revoked,
 * another key, unusable; NaN until first answered), {@code inkan.key.checks{result}} (one per
 * lookup, {@code result} the lower-case {@link Outcome}), {@code inkan.key.check.last} (seconds
 * since the epoch when the last round ended) and {@code inkan.key.health.keys} (keys watched). The
 * per-key meters are removed when the monitor is closed.
 */
public final class KeyHealthMonitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyHealthMonitor.class);

  /** The most record lookups a second. */
  static final int MAX_LOOKUPS_PER_SECOND = 10;

  /** The latest first round starts after start-up. */
  static final Duration FIRST_ROUND = Duration.ofSeconds(30);

  /** How long one lookup may take before it counts as a DNS error. */
  static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(30);

  private final List<Watched> keys = new ArrayList<>();
  private final KeyRecordLookup lookup;
  private final MeterRegistry registry;
  private final Clock clock;
  private final List<Meter> meters = new ArrayList<>();
  private final Value lastRound = new Value();
  private ScheduledExecutorService scheduler;
  private volatile boolean closed;

  /** One key, its verdict so far and its gauge's value. */
  private static final class Watched {
    final KeyCheck check;
    final Value ok = new Value();
    Outcome last;

    Watched(KeyCheck check) {
      this.check = check;
    }
  }

  /** A gauge's value. */
  private static final class Value {
    volatile double value = Double.NaN;
  }

  /**
   * Registers the meters; nothing is looked up until {@link #start} or {@link #checkAll}.
   *
   * @param lookup where records are looked up; closed with the monitor when it is closeable
   */
  KeyHealthMonitor(
      List<KeyCheck> checks, KeyRecordLookup lookup, MeterRegistry registry, Clock clock) {
    this.lookup = lookup;
    this.registry = registry;
    this.clock = clock;
    for (KeyCheck c : checks) {
      Watched w = new Watched(c);
      keys.add(w);
      meters.add(
          Gauge.builder("inkan.key.record.ok", w.ok, v -> v.value)
              .description("1 when the key's published record matches it, 0 when it does not")
              .tags("domain", c.domain(), "selector", c.selector())
              .strongReference(true)
              .register(registry));
    }
    for (Outcome o : Outcome.values()) {
      counter(o); // every result from the start, so rates have a base
    }
    meters.add(
        Gauge.builder("inkan.key.check.last", lastRound, v -> v.value)
            .description("When the last round of key-record checks ended (seconds since the epoch)")
            .baseUnit("seconds")
            .strongReference(true)
            .register(registry));
    meters.add(
        Gauge.builder("inkan.key.health.keys", keys, List::size)
            .description("Keys whose published records are checked")
            .strongReference(true)
            .register(registry));
  }

  /**
   * A monitor that checks {@code checks} every {@code interval}, the first round after at most
   * {@link #FIRST_ROUND} (sooner when the interval is shorter).
   */
  public static KeyHealthMonitor start(
      List<KeyCheck> checks, KeyRecordLookup lookup, MeterRegistry registry, Duration interval) {
    KeyHealthMonitor m = new KeyHealthMonitor(checks, lookup, registry, Clock.systemUTC());
    m.start(interval, interval.compareTo(FIRST_ROUND) < 0 ? interval : FIRST_ROUND);
    return m;
  }

  synchronized void start(Duration interval, Duration firstRound) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval must be positive, got " + interval);
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "inkan-key-health");
              t.setDaemon(true);
              return t;
            });
    LOG.info("key health: checking {} key record(s) every {} s", keys.size(), interval.toSeconds());
    scheduler.schedule(() -> round(interval), firstRound.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One round, lookups spaced out, then the next round one interval after this one began. */
  private void round(Duration interval) {
    long began = System.nanoTime();
    long spacing = TimeUnit.SECONDS.toNanos(1) / MAX_LOOKUPS_PER_SECOND;
    for (int i = 0; i < keys.size() && !closed; i++) {
      if (i > 0 && !pause(spacing)) {
        return;
      }
      try {
        check(keys.get(i));
      } catch (RuntimeException e) {
        LOG.warn("key health: checking {}: {}", keys.get(i).check.recordName(), e.toString());
      }
    }
    lastRound.value = clock.millis() / 1000.0;
    long next = Math.max(0, interval.toNanos() - (System.nanoTime() - began));
    if (!closed) {
      scheduler.schedule(() -> round(interval), next, TimeUnit.NANOSECONDS);
    }
  }

  private static boolean pause(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Checks every key once, now, on the caller's thread (tests). */
  void checkAll() {
    keys.forEach(this::check);
    lastRound.value = clock.millis() / 1000.0;
  }

  private void check(Watched w) {
    KeyLookupResult found;
    try {
      found =
          lookup
              .lookup(w.check.recordName())
              .toCompletableFuture()
              .get(LOOKUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (TimeoutException e) {
      found = new KeyLookupResult.TempFail("no answer in " + LOOKUP_TIMEOUT.toSeconds() + " s");
    } catch (ExecutionException | RuntimeException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      found = new KeyLookupResult.TempFail(cause.toString());
    }
    record(w, w.check.check(found));
  }

  private Counter counter(Outcome o) {
    return Counter.builder("inkan.key.checks")
        .description("Key-record checks by result")
        .tag("result", o.name().toLowerCase(Locale.ROOT))
        .register(registry);
  }

  private void record(Watched w, KeyCheckResult r) {
    counter(r.outcome()).increment();
    if (r.outcome() == Outcome.DNS_ERROR) {
      LOG.debug("key health: {}", r.line());
      return;
    }
    w.ok.value = r.ok() ? 1 : 0;
    if (r.outcome() != w.last) {
      if (!r.ok()) {
        LOG.warn(
            "key health: {} (record {}); mail signed with this key fails verification",
            r.line(),
            w.check.recordName());
      } else if (w.last != null) {
        LOG.info("key health: {}: the published record matches again", r.line());
      }
    }
    w.last = r.outcome();
  }

  /** Stops checking and removes the per-key meters (a reload's new monitor adds its own). */
  @Override
  public synchronized void close() {
    closed = true;
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    meters.forEach(registry::remove);
    if (lookup instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.debug("key health: closing the lookup: {}", e.toString());
      }
    }
  }
}
