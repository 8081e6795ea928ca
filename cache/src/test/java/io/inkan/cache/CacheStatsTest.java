package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CacheStatsTest {
  @Test
  void logLineInOpenDkimsForm() {
    CacheStats s = new CacheStats("memory", 300, 200, 100, 7, 42, 0, 0, 0);
    assertThat(s.toLogLine()).isEqualTo("cache: 300 queries, 200 hits (66%), 7 expired, 42 keys");
    assertThat(new CacheStats("bdb", 0, 0, 0, 0, 0, 0, 0, 0).toLogLine())
        .isEqualTo("cache: 0 queries, 0 hits (0%), 0 expired, 0 keys");
  }
}
