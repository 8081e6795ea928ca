package io.inkan.runtime.admin;

import io.inkan.policy.MicrometerPolicyMetrics;
import io.inkan.telemetry.TopCounts;
import io.inkan.telemetry.TopDomainMeters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The dashboard's memory: every {@value #INTERVAL_MS} ms a sample of the registry (messages by
 * result, end-of-message, signing and verification histograms, cache hits), the last {@value
 * #SAMPLES} kept; {@link #json} turns them into rates and percentiles for {@code /api/stats}.
 */
final class StatsHistory {
  static final long INTERVAL_MS = 2000;
  static final int SAMPLES = 150;

  /** Samples behind the "last minute" figures. */
  private static final int MINUTE = (int) (60_000 / INTERVAL_MS);

  private final MeterRegistry registry;
  private final Optional<TopDomainMeters> domains;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();

  /** One look at the registry. */
  private record Sample(
      long time,
      Map<String, Double> byResult,
      LatencyBuckets eom,
      LatencyBuckets sign,
      LatencyBuckets verify,
      Map<String, double[]> caches) {
    double total() {
      return byResult.values().stream().mapToDouble(Double::doubleValue).sum();
    }
  }

  StatsHistory(MeterRegistry registry, Optional<TopDomainMeters> domains) {
    this.registry = registry;
    this.domains = domains;
  }

  /** Takes a sample now; call from one thread (the admin server's timer). */
  synchronized void sample() {
    samples.addLast(
        new Sample(
            System.currentTimeMillis(),
            messagesByResult(registry),
            LatencyBuckets.of(registry.find(MicrometerMilterMetrics.EOM_TIMER).timers()),
            LatencyBuckets.of(registry.find(MicrometerPolicyMetrics.SIGN_TIMER).timers()),
            LatencyBuckets.of(registry.find(MicrometerPolicyMetrics.VERIFY_TIMER).timers()),
            caches(registry)));
    while (samples.size() > SAMPLES) {
      samples.removeFirst();
    }
  }

  /** Messages counted since start, by DKIM result ({@code signed}, {@code pass}, ...). */
  static Map<String, Double> messagesByResult(MeterRegistry registry) {
    Map<String, Double> m = new TreeMap<>();
    for (Counter c : registry.find(MicrometerPolicyMetrics.METER).counters()) {
      m.merge(c.getId().getTag("result"), c.count(), Double::sum);
    }
    return m;
  }

  /** The sum of every counter called {@code name}. */
  static double sum(MeterRegistry registry, String name) {
    return registry.find(name).counters().stream().mapToDouble(Counter::count).sum();
  }

  /**
   * Cache hits and misses: each query-cache layer ({@link QueryCacheMeters#REQUESTS}, an expired
   * entry being a miss) and each data-set backend's answer cache ({@link
   * MicrometerDataSetMetrics#CACHE}, once it has been asked).
   */
  private static Map<String, double[]> caches(MeterRegistry registry) {
    Map<String, double[]> m = new TreeMap<>();
    add(m, registry.find(QueryCacheMeters.REQUESTS).meters(), "layer", "query cache", true);
    add(m, registry.find(MicrometerDataSetMetrics.CACHE).meters(), "kind", "data set", false);
    return m;
  }

  private static void add(
      Map<String, double[]> m, Iterable<Meter> meters, String by, String what, boolean idleToo) {
    Map<String, double[]> found = new TreeMap<>();
    for (Meter meter : meters) {
      String name = what + " (" + meter.getId().getTag(by) + ")";
      double n =
          meter instanceof Counter c
              ? c.count()
              : meter instanceof FunctionCounter f ? f.count() : 0;
      boolean hit = "hit".equals(meter.getId().getTag("result"));
      found.computeIfAbsent(name, k -> new double[2])[hit ? 0 : 1] += n;
    }
    found.forEach(
        (name, hm) -> {
          if (idleToo || hm[0] + hm[1] > 0) {
            m.put(name, hm);
          }
        });
  }

  /** Series and summaries for the dashboard. */
  synchronized JsonObject json() {
    JsonObject json = new JsonObject().put("intervalSeconds", INTERVAL_MS / 1000.0);
    JsonArray series = new JsonArray();
    Sample previous = null;
    for (Sample s : samples) {
      if (previous != null) {
        series.add(point(previous, s));
      }
      previous = s;
    }
    json.put("series", series);
    Sample last = samples.peekLast();
    Sample minuteAgo = back(MINUTE);
    if (last != null) {
      JsonObject byResult = new JsonObject();
      last.byResult().forEach(byResult::put);
      json.put("messages", new JsonObject().put("total", last.total()).put("byResult", byResult));
      JsonObject latency = new JsonObject();
      latency.put("eom", percentiles(last.eom().since(minuteAgo.eom())));
      latency.put("sign", percentiles(last.sign().since(minuteAgo.sign())));
      latency.put("verify", percentiles(last.verify().since(minuteAgo.verify())));
      json.put("latency", latency);
      json.put("caches", caches(last, minuteAgo));
    }
    json.put("topDomains", topDomains());
    return json;
  }

  private Sample back(int n) {
    Iterator<Sample> it = samples.descendingIterator();
    Sample s = null;
    for (int i = 0; i <= n && it.hasNext(); i++) {
      s = it.next();
    }
    return s;
  }

  private static JsonObject point(Sample a, Sample b) {
    double seconds = Math.max(0.001, (b.time() - a.time()) / 1000.0);
    JsonObject rates = new JsonObject();
    for (Map.Entry<String, Double> e : b.byResult().entrySet()) {
      double before = a.byResult().getOrDefault(e.getKey(), 0.0);
      rates.put(e.getKey(), round(Math.max(0, e.getValue() - before) / seconds));
    }
    LatencyBuckets eom = b.eom().since(a.eom());
    return new JsonObject()
        .put("t", b.time())
        .put("rate", round(Math.max(0, b.total() - a.total()) / seconds))
        .put("rates", rates)
        .put("p50", number(eom.percentileMillis(0.5)))
        .put("p90", number(eom.percentileMillis(0.9)))
        .put("p99", number(eom.percentileMillis(0.99)));
  }

  private static JsonObject percentiles(LatencyBuckets b) {
    return new JsonObject()
        .put("count", b.count())
        .put("p50", number(b.percentileMillis(0.5)))
        .put("p90", number(b.percentileMillis(0.9)))
        .put("p99", number(b.percentileMillis(0.99)));
  }

  private static JsonArray caches(Sample last, Sample earlier) {
    JsonArray a = new JsonArray();
    last.caches()
        .forEach(
            (name, hm) -> {
              double[] before = earlier.caches().getOrDefault(name, new double[2]);
              double hits = hm[0] - before[0];
              double misses = hm[1] - before[1];
              a.add(
                  new JsonObject()
                      .put("name", name)
                      .put("hits", hm[0])
                      .put("misses", hm[1])
                      .put("hitRate", ratio(hm[0], hm[0] + hm[1]))
                      .put("hitRateLastMinute", ratio(hits, hits + misses)));
            });
    return a;
  }

  private JsonObject topDomains() {
    JsonObject json = new JsonObject();
    Optional<TopDomainMeters> d = domains;
    for (String mode : List.of("sign", "verify")) {
      JsonArray a = new JsonArray();
      if (d.isPresent()) {
        for (TopCounts.Entry e : d.get().top(mode, 10)) {
          a.add(new JsonObject().put("domain", e.key()).put("count", e.count()));
        }
      }
      json.put(mode, a);
      json.put(mode + "Total", d.map(x -> x.total(mode)).orElse(0L));
    }
    return json;
  }

  private static Double ratio(double part, double whole) {
    return whole <= 0 ? null : round(part / whole);
  }

  private static Double number(double v) {
    return Double.isNaN(v) ? null : round(v);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
