package io.inkan.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where components register what the admin endpoint shows: meters (through Micrometer's {@link
 * MeterBinder}, bound to the daemon's one registry) and {@link ReadinessProbe}s. One per daemon,
 * made by {@code inkan serve} and kept across reloads.
 *
 * <p>Conventions the dashboard reads: caches report {@code cache.gets} counters tagged {@code
 * cache} (e.g. {@code keys}, {@code dns}) and {@code result} ({@code hit}/{@code miss}), as
 * Micrometer's {@code CacheMeterBinder} and {@code CaffeineCacheMetrics} do; add a {@code layer}
 * tag ({@code in-process}, {@code je}, {@code memcached}) for layered caches. Dependencies use
 * {@code inkan.dns.queries}, {@code inkan.ldap.requests}, {@code inkan.sql.queries} with a {@code
 * result} tag ({@code ok}, {@code timeout}, {@code error}).
 */
public final class Instruments {
  private final MeterRegistry registry;
  private final List<ReadinessProbe> probes = new CopyOnWriteArrayList<>();

  public Instruments(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The registry every meter lands in. */
  public MeterRegistry registry() {
    return registry;
  }

  /** Binds a component's meters to the registry. */
  public void bind(MeterBinder binder) {
    binder.bindTo(registry);
  }

  /**
   * Adds a readiness probe until the returned registration is closed (a component replaced on
   * reload closes its old registrations).
   */
  public Registration probe(ReadinessProbe probe) {
    Objects.requireNonNull(probe, "probe");
    probes.add(probe);
    return () -> probes.remove(probe);
  }

  /** The probes registered now, in registration order. */
  public List<ReadinessProbe> probes() {
    return List.copyOf(probes);
  }

  /** Undoes one {@link #probe} call. */
  @FunctionalInterface
  public interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
