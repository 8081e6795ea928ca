package io.inkan.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void shortAndIsoForms() {
    assertThat(Durations.parse("7d")).contains(Duration.ofDays(7));
    assertThat(Durations.parse("36h")).contains(Duration.ofHours(36));
    assertThat(Durations.parse("90m")).contains(Duration.ofMinutes(90));
    assertThat(Durations.parse("30s")).contains(Duration.ofSeconds(30));
    assertThat(Durations.parse("2w")).contains(Duration.ofDays(14));
    assertThat(Durations.parse("P7D")).contains(Duration.ofDays(7));
    assertThat(Durations.parse("PT0S")).contains(Duration.ZERO);
  }

  @Test
  void junkAndNegativeAreRefused() {
    assertThat(Durations.parse("7")).isEmpty();
    assertThat(Durations.parse("7 days")).isEmpty();
    assertThat(Durations.parse("-7d")).isEmpty();
    assertThat(Durations.parse("PT-1S")).isEmpty();
  }
}
