package io.inkan.cli;

import io.inkan.runtime.admin.AdminHttp;
import java.net.http.HttpResponse;

/** Samples read from a Prometheus text exposition, as {@code /metrics} serves it. */
final class MetricsText {
  private final String body;

  private MetricsText(String body) {
    this.body = body;
  }

  /** {@code /metrics} of the admin endpoint on {@code port} now. */
  static MetricsText scrape(int port) throws Exception {
    HttpResponse<String> r = AdminHttp.http(port).get("/metrics");
    if (r.statusCode() != 200) {
      throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
    }
    return new MetricsText(r.body());
  }

  /**
   * The sum of the samples called {@code name} that carry every {@code label="value"} given (as
   * {@code "label", "value"} pairs); -1 when there is none.
   */
  double value(String name, String... labels) {
    double sum = 0;
    boolean any = false;
    for (String line : body.split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      int end = line.lastIndexOf(' ');
      String series = line.substring(0, end);
      boolean match = true;
      for (int i = 0; i + 1 < labels.length; i += 2) {
        match &= series.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (match) {
        sum += Double.parseDouble(line.substring(end + 1));
        any = true;
      }
    }
    return any ? sum : -1;
  }

  /** The whole exposition. */
  String body() {
    return body;
  }
}
