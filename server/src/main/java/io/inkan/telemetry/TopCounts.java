package io.inkan.telemetry;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The most frequent keys of an unbounded stream in bounded memory: the Space-Saving algorithm
 * (Metwally, Agrawal, El Abbadi, "Efficient Computation of Frequent and Top-k Elements in Data
 * Streams", ICDT 2005). At most {@code capacity} keys are tracked; a new key replaces the least
 * counted one and inherits its count as the error bound. Any key seen more than {@code
 * total/capacity} times is guaranteed to be tracked, and a tracked count overestimates by at most
 * its {@link Entry#error()}. Thread-safe.
 */
public final class TopCounts {
  private static final int MAX_KEY_LENGTH = 253;

  private final int capacity;
  private final Map<String, long[]> counts = new HashMap<>();
  private long total;

  /**
   * @param capacity keys tracked; five times the number reported gives good accuracy
   */
  public TopCounts(int capacity) {
    if (capacity < 1 || capacity > 100_000) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: 1 to 100000)");
    }
    this.capacity = capacity;
  }

  /**
   * One key counted with its weight.
   *
   * @param key a key longer than 253 characters (the longest domain name) is cut there
   * @param count the estimated count (never less than the true count of a tracked key)
   * @param error how much of {@code count} may come from keys it replaced
   */
  public record Entry(String key, long count, long error) {}

  /** Counts one occurrence of {@code key}. */
  public synchronized void add(String key) {
    String k = key.length() > MAX_KEY_LENGTH ? key.substring(0, MAX_KEY_LENGTH) : key;
    total++;
    long[] c = counts.get(k);
    if (c != null) {
      c[0]++;
      return;
    }
    if (counts.size() < capacity) {
      counts.put(k, new long[] {1, 0});
      return;
    }
    String least = null;
    long min = Long.MAX_VALUE;
    for (Map.Entry<String, long[]> e : counts.entrySet()) {
      if (e.getValue()[0] < min) {
        min = e.getValue()[0];
        least = e.getKey();
      }
    }
    counts.remove(least);
    counts.put(k, new long[] {min + 1, min});
  }

  /** Every occurrence counted so far. */
  public synchronized long total() {
    return total;
  }

  /** The estimated count of {@code key}; 0 when it is not tracked (now). */
  public synchronized long count(String key) {
    long[] c = counts.get(key);
    return c == null ? 0 : c[0];
  }

  /** The {@code n} highest counts, highest first (ties by key). */
  public synchronized List<Entry> top(int n) {
    List<Entry> all = new ArrayList<>(counts.size());
    counts.forEach((k, c) -> all.add(new Entry(k, c[0], c[1])));
    all.sort(Comparator.comparingLong(Entry::count).reversed().thenComparing(Entry::key));
    return List.copyOf(all.subList(0, Math.min(n, all.size())));
  }
}
