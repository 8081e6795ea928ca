package io.inkan.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopCountsTest {
  @Test
  void keepsHeavyHittersInBoundedMemory() {
    TopCounts top = new TopCounts(20);
    Random random = new Random(7);
    for (int i = 0; i < 100_000; i++) {
      if (i % 4 == 0) {
        top.add("big.example");
      } else if (i % 10 == 1) {
        top.add("medium.example");
      } else {
        top.add("d" + random.nextInt(50_000) + ".example"); // a long tail
      }
    }
    assertThat(top.total()).isEqualTo(100_000);
    assertThat(top.top(2))
        .extracting(TopCounts.Entry::key)
        .containsExactly("big.example", "medium.example");
    TopCounts.Entry big = top.top(1).get(0);
    assertThat(big.count()).isGreaterThanOrEqualTo(25_000);
    assertThat(big.count() - big.error()).isLessThanOrEqualTo(25_000);
    assertThat(top.top(1000)).hasSize(20);
  }

  @Test
  void limits() {
    assertThatThrownBy(() -> new TopCounts(0)).hasMessage("capacity: 0 (expected: 1 to 100000)");
    TopCounts t = new TopCounts(1);
    t.add("x".repeat(300));
    assertThat(t.top(1).get(0).key()).hasSize(253);
  }

  @Test
  void exportsTheTopDomainsAndTheRestAsOther() {
    SimpleMeterRegistry r = new SimpleMeterRegistry();
    TopDomainMeters m = new TopDomainMeters(r);
    for (int i = 0; i < 30; i++) {
      for (int j = 0; j <= i; j++) {
        m.signed("D" + i + ".Example.");
      }
    }
    m.verified("");
    m.refresh();
    assertThat(r.find(TopDomainMeters.METER).tag("mode", "sign").gauges())
        .hasSize(TopDomainMeters.EXPORTED + 1);
    Gauge top = r.find(TopDomainMeters.METER).tag("domain", "d29.example").gauge();
    assertThat(top.value()).isEqualTo(30);
    double other =
        r.find(TopDomainMeters.METER).tag("mode", "sign").tag("domain", "other").gauge().value();
    assertThat(other).isEqualTo(1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10);
    assertThat(r.find(TopDomainMeters.METER).tag("domain", "(none)").gauge().value()).isEqualTo(1);
  }
}
