package io.inkan.runtime.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyBucketsTest {
  @Test
  void percentilesOfTheTimeBetweenTwoSnapshots() {
    PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Timer t =
        Timer.builder("t")
            .serviceLevelObjectives(
                Duration.ofMillis(1), Duration.ofMillis(10), Duration.ofMillis(100))
            .register(r);
    for (int i = 0; i < 100; i++) {
      t.record(Duration.ofMillis(50)); // before: all slow
    }
    LatencyBuckets before = LatencyBuckets.of(List.of(t));
    for (int i = 0; i < 90; i++) {
      t.record(Duration.ofNanos(500_000));
    }
    for (int i = 0; i < 10; i++) {
      t.record(Duration.ofMillis(5));
    }
    LatencyBuckets between = LatencyBuckets.of(List.of(t)).since(before);
    assertThat(between.count()).isEqualTo(100);
    assertThat(between.percentileMillis(0.5)).isCloseTo(0.556, within(0.01));
    assertThat(between.percentileMillis(0.95)).isCloseTo(5.5, within(0.01));
    assertThat(LatencyBuckets.EMPTY.percentileMillis(0.5)).isNaN();
    assertThat(between.since(between).percentileMillis(0.5)).isNaN();
  }
}
