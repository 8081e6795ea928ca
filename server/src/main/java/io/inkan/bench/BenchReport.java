package io.inkan.bench;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one connection measured, merged across connections at the end: per-message latencies in
 * nanoseconds (exact, sorted for percentiles), final verdicts and added header fields by name.
 */
final class BenchReport {
  private long[] latencies = new long[1024];
  private int count;
  private final EnumMap<Verdict, Long> verdicts = new EnumMap<>(Verdict.class);
  private final Map<String, Long> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  void record(long nanos, MilterLoadClient.Result result) {
    if (count == latencies.length) {
      latencies = Arrays.copyOf(latencies, count * 2);
    }
    latencies[count++] = nanos;
    verdicts.merge(result.verdict(), 1L, Long::sum);
    for (String h : result.addedHeaders()) {
      headers.merge(h, 1L, Long::sum);
    }
  }

  /** A message that got no verdict (the connection failed). */
  void failed() {
    verdicts.merge(Verdict.NONE, 1L, Long::sum);
  }

  void add(BenchReport other) {
    for (int i = 0; i < other.count; i++) {
      if (count == latencies.length) {
        latencies = Arrays.copyOf(latencies, count * 2);
      }
      latencies[count++] = other.latencies[i];
    }
    other.verdicts.forEach((v, n) -> verdicts.merge(v, n, Long::sum));
    other.headers.forEach((h, n) -> headers.merge(h, n, Long::sum));
  }

  /** Messages that got a verdict. */
  long completed() {
    return count;
  }

  long verdicts(Verdict v) {
    return verdicts.getOrDefault(v, 0L);
  }

  long headers(String name) {
    return headers.getOrDefault(name, 0L);
  }

  /** Writes the report: {@code key: value} lines, easy to read and to grep. */
  void print(PrintWriter out, double seconds) {
    long[] sorted = Arrays.copyOf(latencies, count);
    Arrays.sort(sorted);
    out.printf(Locale.ROOT, "messages: %d%n", count);
    out.printf(Locale.ROOT, "seconds: %.3f%n", seconds);
    out.printf(Locale.ROOT, "messages/s: %.1f%n", seconds > 0 ? count / seconds : 0.0);
    out.printf(
        Locale.ROOT,
        "latency_ms: p50=%.3f p99=%.3f max=%.3f%n",
        millis(percentile(sorted, 50)),
        millis(percentile(sorted, 99)),
        millis(count == 0 ? 0 : sorted[count - 1]));
    StringBuilder v = new StringBuilder("verdicts:");
    for (Verdict verdict : Verdict.values()) {
      v.append(' ').append(verdict.name().toLowerCase(Locale.ROOT)).append('=');
      v.append(verdicts(verdict));
    }
    out.println(v);
    StringBuilder h = new StringBuilder("headers:");
    headers.forEach((name, n) -> h.append(' ').append(name).append('=').append(n));
    out.println(headers.isEmpty() ? "headers: none" : h);
    out.flush();
  }

  /** The nearest-rank percentile of sorted values; 0 when there are none. */
  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  private static double millis(long nanos) {
    return nanos / 1e6;
  }
}
