package io.inkan.policy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Counts message outcomes in a Micrometer registry as {@code inkan.messages} with the tags {@code
 * mode}, {@code result} and {@code action}; the operations work exposes the registry.
 */
public final class MicrometerPolicyMetrics implements PolicyMetrics {
  public static final String METER = "inkan.messages";

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

  public MicrometerPolicyMetrics(MeterRegistry registry) {
    this.registry = registry;
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
}
