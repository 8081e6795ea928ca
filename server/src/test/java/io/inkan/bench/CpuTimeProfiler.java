package io.inkan.bench;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Scales each iteration's score by the CPU the benchmark JVM actually got: on a busy machine a
 * single-threaded benchmark may hold its core only part of the time, and wall-clock ops/s then
 * understate what one core does. Reports {@code ·cpu} (process CPU seconds per wall second) and
 * {@code ·perCpu} (the score divided by that share, in the score's unit). Process CPU includes JIT
 * and GC threads, so {@code ·perCpu} errs low. Use with {@code -prof
 * io.inkan.bench.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private long cpuStart;
  private long wallStart;

  @Override
  public String getDescription() {
    return "score per CPU second actually used (for busy machines)";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    wallStart = System.nanoTime();
    cpuStart = processCpuNanos();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = processCpuNanos() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    if (cpu <= 0 || wall <= 0) {
      return List.of();
    }
    double share = (double) cpu / wall;
    Result<?> primary = result.getPrimaryResult();
    return List.of(
        new ScalarResult("·cpu", share, "cpu/wall", AggregationPolicy.AVG),
        new ScalarResult(
            "·perCpu", primary.getScore() / share, primary.getScoreUnit(), AggregationPolicy.AVG));
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
