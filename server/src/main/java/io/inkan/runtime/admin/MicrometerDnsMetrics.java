package io.inkan.runtime.admin;

import io.inkan.dns.DnsMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Key-record DNS lookups as meters: {@code inkan.dns.queries} (sent), {@code inkan.dns.answers} by
 * {@code outcome} (found, nxdomain, nodata, servfail, timeout, error; every one registered at
 * start) and {@code inkan.dns.duration} (a histogram of the time to an outcome). One per registry,
 * kept across reloads.
 */
public final class MicrometerDnsMetrics implements DnsMetrics {
  public static final String QUERIES = "inkan.dns.queries";
  public static final String ANSWERS = "inkan.dns.answers";
  public static final String TIMER = "inkan.dns.duration";

  private final Counter queries;
  private final Map<Outcome, Counter> answers = new EnumMap<>(Outcome.class);
  private final Timer timer;

  public MicrometerDnsMetrics(MeterRegistry registry) {
    queries =
        Counter.builder(QUERIES)
            .description("Key-record lookups sent to DNS (past the query caches)")
            .register(registry);
    for (Outcome o : Outcome.values()) {
      answers.put(
          o,
          Counter.builder(ANSWERS)
              .description("Key-record DNS lookups by outcome")
              .tag("outcome", o.tag())
              .register(registry));
    }
    timer =
        Timer.builder(TIMER)
            .description("Time from a key-record query to its outcome, retries and CNAMEs included")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(100_000))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
  }

  @Override
  public void sent() {
    queries.increment();
  }

  @Override
  public void answered(Outcome outcome, long nanos) {
    answers.get(outcome).increment();
    timer.record(nanos, TimeUnit.NANOSECONDS);
  }
}
