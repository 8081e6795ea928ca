package io.inkan.runtime.admin;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.Collection;

/**
 * The cumulative histogram of one or more timers with the same buckets at one moment; the
 * difference of two gives the latencies of the time between, from which percentiles are read
 * (interpolated inside a bucket, as Prometheus' {@code histogram_quantile} does).
 *
 * @param bounds bucket upper bounds in nanoseconds, ascending
 * @param cumulative values at or under each bound
 * @param count all values, including those above the last bound
 */
record LatencyBuckets(double[] bounds, double[] cumulative, double count) {
  static final LatencyBuckets EMPTY = new LatencyBuckets(new double[0], new double[0], 0);

  /** The timers' histograms added up; timers whose buckets differ from the first are left out. */
  static LatencyBuckets of(Collection<Timer> timers) {
    double[] bounds = null;
    double[] cumulative = null;
    double count = 0;
    for (Timer t : timers) {
      HistogramSnapshot s = t.takeSnapshot();
      CountAtBucket[] buckets = s.histogramCounts();
      if (bounds == null) {
        bounds = new double[buckets.length];
        cumulative = new double[buckets.length];
        for (int i = 0; i < buckets.length; i++) {
          bounds[i] = buckets[i].bucket();
        }
      } else if (buckets.length != bounds.length) {
        continue;
      }
      for (int i = 0; i < buckets.length; i++) {
        cumulative[i] += buckets[i].count();
      }
      count += s.count();
    }
    return bounds == null ? EMPTY : new LatencyBuckets(bounds, cumulative, count);
  }

  /** What happened since {@code earlier}. */
  LatencyBuckets since(LatencyBuckets earlier) {
    if (earlier.bounds.length != bounds.length) {
      return this;
    }
    double[] c = new double[cumulative.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = Math.max(0, cumulative[i] - earlier.cumulative[i]);
    }
    return new LatencyBuckets(bounds, c, Math.max(0, count - earlier.count));
  }

  /** The {@code q} quantile in milliseconds; NaN without values. */
  double percentileMillis(double q) {
    if (count <= 0 || bounds.length == 0) {
      return Double.NaN;
    }
    double target = q * count;
    double lowerBound = 0;
    double below = 0;
    for (int i = 0; i < bounds.length; i++) {
      if (cumulative[i] >= target) {
        double inBucket = cumulative[i] - below;
        double f = inBucket <= 0 ? 1 : (target - below) / inBucket;
        return (lowerBound + (bounds[i] - lowerBound) * f) / 1e6;
      }
      lowerBound = bounds[i];
      below = cumulative[i];
    }
    return bounds[bounds.length - 1] / 1e6;
  }
}
