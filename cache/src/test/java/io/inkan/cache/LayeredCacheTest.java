package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayeredCacheTest {
  private final MutableClock clock = new MutableClock();
  private final CaffeineQueryCache memory = new CaffeineQueryCache(100, clock);
  private final CaffeineQueryCache shared = new CaffeineQueryCache(100, clock);
  private final LayeredCache layered = new LayeredCache(memory, shared);

  @Test
  void aSecondLayerHitIsCopiedUpWithItsRemainingTtl() {
    CachedAnswer a = Answers.txt("x", Duration.ofSeconds(100), clock);
    shared.put("n.example", a);
    clock.advance(Duration.ofSeconds(40));

    assertThat(layered.get("n.example")).contains(a);
    assertThat(memory.get("n.example")).contains(a);
    assertThat(memory.get("n.example").orElseThrow().remainingTtl(clock.instant()))
        .isEqualTo(Duration.ofSeconds(60));

    clock.advance(Duration.ofSeconds(60));
    assertThat(layered.get("n.example")).isEmpty();
  }

  @Test
  void putWritesBothLayersAndStatsArePerLayer() {
    layered.put("n.example", Answers.txt("x", Duration.ofMinutes(1), clock));
    assertThat(memory.stats().keys()).isEqualTo(1);
    assertThat(shared.stats().keys()).isEqualTo(1);

    layered.get("n.example");
    layered.get("missing.example");
    CacheStats all = layered.stats();
    assertThat(all.queries()).isEqualTo(2);
    assertThat(all.hits()).isEqualTo(1);
    assertThat(all.misses()).isEqualTo(1);
    assertThat(layered.layerStats())
        .extracting(CacheStats::backend, CacheStats::queries, CacheStats::hits)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("memory", 2L, 1L),
            org.assertj.core.groups.Tuple.tuple("memory", 1L, 0L));
  }

  @Test
  void memoryInFrontOfBdbAcrossARestart(@TempDir Path dir) {
    CachedAnswer a = Answers.txt("kept", Duration.ofMinutes(10), clock);
    BdbQueryCache.Builder bdb =
        BdbQueryCache.builder(dir).sweepInterval(Duration.ZERO).clock(clock);
    try (LayeredCache first = new LayeredCache(new CaffeineQueryCache(10, clock), bdb.open())) {
      first.put("k.example", a);
    }
    try (LayeredCache second = new LayeredCache(new CaffeineQueryCache(10, clock), bdb.open())) {
      assertThat(second.get("k.example")).contains(a);
      assertThat(second.layerStats().get(1).backend()).isEqualTo("bdb");
      assertThat(second.layerStats().get(1).hits()).isEqualTo(1);
      assertThat(second.get("k.example")).contains(a);
      assertThat(second.layerStats().get(0).hits()).isEqualTo(1);
    }
  }
}
