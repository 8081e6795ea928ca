package io.inkan.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code inkan stats}' text: one labelled line per subject, from the admin endpoint's {@code
 * /api/status} (live counters) and {@code /api/stats} (rates, percentiles and caches sampled every
 * two seconds), each field shown only when the node sent it.
 */
final class StatsCommandSummary {
  private static final String FORMAT = "%-13s%s%n";

  private StatsCommandSummary() {}

  static void print(JsonObject status, Optional<JsonObject> stats, PrintWriter out) {
    JsonObject config = obj(status, "config");
    line(
        out,
        "node",
        "inkan "
            + status.getString("version", "?")
            + ", up "
            + uptime(status.getLong("uptimeSeconds", 0L))
            + ", pid "
            + status.getValue("pid", "?")
            + ", java "
            + status.getString("java", "?"));
    line(out, "crypto", status.getString("crypto", "?"));
    line(
        out,
        "milter",
        "socket "
            + config.getString("socket", "(none)")
            + ", mode "
            + config.getString("mode", "?"));
    JsonObject counters = obj(status, "counters");
    line(
        out,
        "messages",
        number(counters.getDouble("messages", 0.0)) + byResult(obj(counters, "byResult")));
    stats.ifPresent(s -> rateAndLatency(s, out));
    line(
        out,
        "connections",
        number(counters.getDouble("activeConnections", 0.0))
            + " active, "
            + number(counters.getDouble("protocolErrors", 0.0))
            + " protocol errors");
    stats.ifPresent(s -> caches(s.getJsonArray("caches", new JsonArray()), out));
    health(obj(status, "health"), out);
    stats.ifPresent(s -> topDomains(obj(s, "topDomains"), out));
    if (stats.isEmpty()) {
      line(out, "stats", "(this node has no /api/stats)");
    }
  }

  private static String byResult(JsonObject byResult) {
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Object> e : byResult) {
      if (e.getValue() instanceof Number n) {
        parts.add(e.getKey() + " " + number(n.doubleValue()));
      }
    }
    return parts.isEmpty() ? "" : ": " + String.join(", ", parts);
  }

  private static void rateAndLatency(JsonObject stats, PrintWriter out) {
    JsonArray series = stats.getJsonArray("series", new JsonArray());
    if (!series.isEmpty()) {
      double interval = stats.getDouble("intervalSeconds", 2.0);
      int minute = (int) Math.max(1, Math.round(60 / interval));
      double sum = 0;
      int n = 0;
      for (int i = series.size() - 1; i >= 0 && n < minute; i--, n++) {
        sum += series.getJsonObject(i).getDouble("rate", 0.0);
      }
      double now = series.getJsonObject(series.size() - 1).getDouble("rate", 0.0);
      line(
          out,
          "rate",
          decimal(now) + " msg/s now, " + decimal(sum / n) + " msg/s over the last minute");
    }
    JsonObject latency = obj(stats, "latency");
    List<String> parts = new ArrayList<>();
    for (String stage : List.of("eom", "sign", "verify")) {
      JsonObject p = obj(latency, stage);
      if (p.getLong("count", 0L) > 0) {
        parts.add(
            stage
                + " p50 "
                + millis(p.getValue("p50"))
                + " p90 "
                + millis(p.getValue("p90"))
                + " p99 "
                + millis(p.getValue("p99")));
      }
    }
    if (parts.isEmpty() && !latency.isEmpty()) {
      parts.add("(no messages in the last minute)");
    }
    for (int i = 0; i < parts.size(); i++) {
      line(out, i == 0 ? "latency ms" : "", parts.get(i));
    }
  }

  private static void caches(JsonArray caches, PrintWriter out) {
    for (int i = 0; i < caches.size(); i++) {
      JsonObject c = caches.getJsonObject(i);
      line(
          out,
          i == 0 ? "caches" : "",
          c.getString("name", "?")
              + ": "
              + percent(c.getValue("hitRate"))
              + " hits ("
              + number(c.getDouble("hits", 0.0))
              + "/"
              + number(c.getDouble("hits", 0.0) + c.getDouble("misses", 0.0))
              + "), last minute "
              + percent(c.getValue("hitRateLastMinute")));
    }
  }

  private static void health(JsonObject health, PrintWriter out) {
    JsonArray checks = health.getJsonArray("checks", new JsonArray());
    line(out, "ready", health.getBoolean("ready", false) ? "yes" : "NO");
    for (int i = 0; i < checks.size(); i++) {
      JsonObject c = checks.getJsonObject(i);
      String detail = c.getString("detail");
      line(
          out,
          "",
          (c.getBoolean("up", false) ? "up    " : "DOWN  ")
              + c.getString("name", "?")
              + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }
  }

  private static void topDomains(JsonObject top, PrintWriter out) {
    for (String mode : List.of("sign", "verify")) {
      JsonArray a = top.getJsonArray(mode, new JsonArray());
      if (a.isEmpty()) {
        continue;
      }
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < Math.min(5, a.size()); i++) {
        JsonObject d = a.getJsonObject(i);
        parts.add(d.getString("domain", "?") + " " + d.getValue("count", 0));
      }
      line(out, "top " + mode, String.join(", ", parts));
    }
  }

  private static void line(PrintWriter out, String label, String text) {
    out.printf(FORMAT, label, text);
  }

  private static JsonObject obj(JsonObject o, String key) {
    JsonObject v = o.getJsonObject(key);
    return v == null ? new JsonObject() : v;
  }

  static String uptime(long seconds) {
    long d = seconds / 86400;
    long h = seconds / 3600 % 24;
    long m = seconds / 60 % 60;
    long s = seconds % 60;
    return d > 0
        ? String.format(Locale.ROOT, "%dd %02dh %02dm", d, h, m)
        : String.format(Locale.ROOT, "%02dh %02dm %02ds", h, m, s);
  }

  private static String number(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : decimal(v);
  }

  private static String decimal(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static String millis(Object v) {
    return v instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "-";
  }

  private static String percent(Object v) {
    return v instanceof Number n
        ? String.format(Locale.ROOT, "%.1f%%", n.doubleValue() * 100)
        : "-";
  }
}
