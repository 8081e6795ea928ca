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
 * <p>Meters use dotted names (Prometheus shows {@code inkan.dns.answers} as {@code
 * inkan_dns_answers_total}), a {@code result} or {@code outcome} tag for how an operation ended,
 * and only tags of bounded cardinality. The live dashboard's cache table reads the query-cache
 * layers' {@code inkan.querycache.requests} ({@code layer}, {@code result}) and the data-set
 * caches' {@code inkan.dataset.cache.requests} ({@code kind}, {@code result}).
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
