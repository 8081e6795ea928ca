package io.inkan.runtime.admin;

import io.inkan.runtime.MilterMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The milter listener's meters: {@code inkan.milter.connections.active} (gauge), {@code
 * inkan.milter.connections} (accepted), {@code inkan.milter.connections.refused} by {@code reason},
 * {@code inkan.milter.protocol.errors} by {@code kind}, {@code inkan.milter.stage.duration} by
 * {@code stage} (event-loop time per command, fixed buckets from 10 µs to 1 s) and {@code
 * inkan.milter.eom.duration} by {@code outcome} (what the MTA waits for at end of message).
 */
public final class MicrometerMilterMetrics implements MilterMetrics {
  public static final String ACTIVE = "inkan.milter.connections.active";
  public static final String PROTOCOL_ERRORS = "inkan.milter.protocol.errors";
  public static final String EOM_TIMER = "inkan.milter.eom.duration";
  public static final String STAGE_TIMER = "inkan.milter.stage.duration";

  private static final Duration[] STAGE_BUCKETS = {
    Duration.ofNanos(10_000),
    Duration.ofNanos(50_000),
    Duration.ofNanos(100_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(500),
    Duration.ofSeconds(1)
  };

  private final MeterRegistry registry;
  private final AtomicInteger active = new AtomicInteger();
  private final Counter accepted;
  private final ConcurrentMap<String, Timer> stages = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Timer> endings = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public MicrometerMilterMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder(ACTIVE, active, AtomicInteger::get)
        .description("Milter connections being served")
        .register(registry);
    accepted =
        Counter.builder("inkan.milter.connections")
            .description("Milter connections accepted")
            .register(registry);
    counter(PROTOCOL_ERRORS, "kind", "protocol");
    counter(PROTOCOL_ERRORS, "kind", "stalled");
    endOfMessageTimer("answered");
  }

  @Override
  public void connectionOpened() {
    active.incrementAndGet();
    accepted.increment();
  }

  @Override
  public void connectionClosed() {
    active.decrementAndGet();
  }

  @Override
  public void connectionRefused(String reason) {
    counter("inkan.milter.connections.refused", "reason", reason).increment();
  }

  @Override
  public void protocolError(String kind) {
    counter(PROTOCOL_ERRORS, "kind", kind).increment();
  }

  @Override
  public void stage(String stage, long nanos) {
    stages
        .computeIfAbsent(
            stage,
            s ->
                Timer.builder(STAGE_TIMER)
                    .description("Event-loop time to handle one milter command, by stage")
                    .tag("stage", s)
                    .serviceLevelObjectives(STAGE_BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void endOfMessage(String outcome, long nanos) {
    endOfMessageTimer(outcome).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Connections being served now. */
  public int active() {
    return active.get();
  }

  private Timer endOfMessageTimer(String outcome) {
    return endings.computeIfAbsent(
        outcome,
        o ->
            Timer.builder(EOM_TIMER)
                .description("From end of message to the milter answer written, by outcome")
                .tag("outcome", o)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry));
  }

  private Counter counter(String name, String tag, String value) {
    return counters.computeIfAbsent(
        name + '\0' + value,
        k ->
            Counter.builder(name)
                .description(
                    name.equals(PROTOCOL_ERRORS)
                        ? "Milter connections closed for a protocol violation"
                        : "Milter connections refused at once")
                .tag(tag, value)
                .register(registry));
  }
}
