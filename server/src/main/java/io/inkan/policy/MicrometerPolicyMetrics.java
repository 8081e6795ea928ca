package io.inkan.policy;

import io.inkan.dataset.DataSetMetrics;
import io.inkan.telemetry.TopDomainMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Counts message outcomes in a Micrometer registry as {@code inkan.messages} with the tags {@code
 * mode}, {@code result} and {@code action}; times signing ({@code inkan.sign.duration}, per
 * signature) and verification ({@code inkan.verify.duration}, per message) as histograms; and
 * counts signatures by domain for the top domains ({@link TopDomainMeters}). Keep one per registry
 * (across reloads), since the domain ranking lives here.
 */
public final class MicrometerPolicyMetrics implements PolicyMetrics {
  public static final String METER = "inkan.messages";
  public static final String SIGN_TIMER = "inkan.sign.duration";
  public static final String VERIFY_TIMER = "inkan.verify.duration";

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final Timer signTimer;
  private final Timer verifyTimer;
  private final TopDomainMeters domains;
  private final DataSetMetrics dataSets;

  public MicrometerPolicyMetrics(MeterRegistry registry) {
    this(registry, DataSetMetrics.NONE);
  }

  /** The same, the policies' data sets reporting to {@code dataSets}. */
  public MicrometerPolicyMetrics(MeterRegistry registry, DataSetMetrics dataSets) {
    this.registry = registry;
    this.dataSets = dataSets;
    signTimer =
        Timer.builder(SIGN_TIMER)
            .description("Time to make one DKIM-Signature: header hashing and the private-key step")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(10))
            .register(registry);
    verifyTimer =
        Timer.builder(VERIFY_TIMER)
            .description("Time from end of message to one message's verification results")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(10_000))
            .maximumExpectedValue(Duration.ofSeconds(30))
            .register(registry);
    domains = new TopDomainMeters(registry);
  }

  @Override
  public void count(String mode, String result, String action) {
    counters
        .computeIfAbsent(
            mode + '\0' + result + '\0' + action,
            k ->
                Counter.builder(METER)
                    .description("Messages by mode, DKIM result and milter action")
                    .tag("mode", mode)
                    .tag("result", result)
                    .tag("action", action)
                    .register(registry))
        .increment();
  }

  @Override
  public void signed(String domain, long nanos) {
    signTimer.record(nanos, TimeUnit.NANOSECONDS);
    domains.signed(domain);
  }

  @Override
  public void verified(List<String> checked, long nanos) {
    verifyTimer.record(nanos, TimeUnit.NANOSECONDS);
    checked.forEach(domains::verified);
  }

  @Override
  public DataSetMetrics dataSets() {
    return dataSets;
  }

  /** The signing and verifying domains ranked, for the dashboard. */
  public TopDomainMeters domains() {
    return domains;
  }
}
