package io.inkan.runtime.admin;

import io.inkan.config.Config;
import io.inkan.policy.MicrometerPolicyMetrics;
import io.inkan.telemetry.Instruments;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The daemon's one meter registry (Prometheus), kept across reloads, with the JVM's meters bound
 * and the meters of the milter listener, the policy, its data sets, DNS and the query caches made
 * on it. Other components add theirs through {@link #instruments()}.
 */
public final class DaemonMeters implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final Instruments instruments = new Instruments(registry);
  private final MicrometerMilterMetrics milter;
  private final MicrometerPolicyMetrics policy;
  private final MicrometerDnsMetrics dns;
  private final QueryCacheMeters queryCaches;

  public DaemonMeters() {
    instruments.bind(new JvmMemoryMetrics());
    instruments.bind(gc);
    instruments.bind(new JvmThreadMetrics());
    instruments.bind(new ClassLoaderMetrics());
    instruments.bind(new ProcessorMetrics());
    instruments.bind(new UptimeMetrics());
    instruments.bind(new FileDescriptorMetrics());
    milter = new MicrometerMilterMetrics(registry);
    policy = new MicrometerPolicyMetrics(registry, new MicrometerDataSetMetrics(registry));
    dns = new MicrometerDnsMetrics(registry);
    queryCaches = new QueryCacheMeters(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Where meters and readiness probes are registered. */
  public Instruments instruments() {
    return instruments;
  }

  /** For the milter listener. */
  public MicrometerMilterMetrics milter() {
    return milter;
  }

  /** For every policy, one after another across reloads. */
  public MicrometerPolicyMetrics policy() {
    return policy;
  }

  /** For every key-record lookup chain's DNS queries, across reloads. */
  public MicrometerDnsMetrics dns() {
    return dns;
  }

  /** Where every key-record lookup chain is tracked, so its cache counters outlive a reload. */
  public QueryCacheMeters queryCaches() {
    return queryCaches;
  }

  /** What the admin endpoint shows, with the configuration running now. */
  public AdminServer.Sources sources(Supplier<Config> config) {
    return new AdminServer.Sources(registry, instruments, config, Optional.of(policy.domains()));
  }

  /** Stops listening to GC notifications. */
  @Override
  public void close() {
    gc.close();
  }
}
