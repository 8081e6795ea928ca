package io.inkan.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Per-domain message counts with bounded cardinality: the signing ({@code d=} of signatures made)
 * and verifying ({@code d=} of signatures checked) domains are counted in a {@link TopCounts} each,
 * and the top {@value #EXPORTED} of each are gauges {@code inkan.domain.signatures} tagged {@code
 * mode} and {@code domain}; everything else is one {@code domain="other"} gauge. Counts are
 * approximate (Space-Saving) and run since start; which domains are exported is refreshed at once
 * while fewer than {@value #EXPORTED} are shown, then at most once a second.
 */
public final class TopDomainMeters {
  public static final String METER = "inkan.domain.signatures";
  public static final int EXPORTED = 20;
  public static final String OTHER = "other";

  private static final long REFRESH_NANOS = 1_000_000_000L;

  private final TopCounts signing = new TopCounts(EXPORTED * 5);
  private final TopCounts verifying = new TopCounts(EXPORTED * 5);
  private final MultiGauge gauge;
  private volatile long nextRefresh = System.nanoTime();
  private volatile Set<String> shownSigning = Set.of();
  private volatile Set<String> shownVerifying = Set.of();

  public TopDomainMeters(MeterRegistry registry) {
    gauge =
        MultiGauge.builder(METER)
            .description(
                "Signatures by signing domain (mode=sign) and checked by domain (mode=verify),"
                    + " top "
                    + EXPORTED
                    + " each, the rest as domain=other; approximate, since start")
            .register(registry);
    refresh();
  }

  /** One signature made for {@code domain}. */
  public void signed(String domain) {
    String d = normal(domain);
    signing.add(d);
    maybeRefresh(shownSigning, d);
  }

  /** One signature of {@code domain} checked. */
  public void verified(String domain) {
    String d = normal(domain);
    verifying.add(d);
    maybeRefresh(shownVerifying, d);
  }

  /** The top {@code n} of {@code mode} ({@code sign} or {@code verify}). */
  public List<TopCounts.Entry> top(String mode, int n) {
    return counts(mode).top(n);
  }

  /** All signatures of {@code mode} counted. */
  public long total(String mode) {
    return counts(mode).total();
  }

  /** Re-registers the gauges for the domains now on top; the values themselves are live. */
  public synchronized void refresh() {
    nextRefresh = System.nanoTime() + REFRESH_NANOS;
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    for (String mode : new String[] {"sign", "verify"}) {
      TopCounts counts = counts(mode);
      List<String> shown = counts.top(EXPORTED).stream().map(TopCounts.Entry::key).toList();
      if (mode.equals("sign")) {
        shownSigning = Set.copyOf(shown);
      } else {
        shownVerifying = Set.copyOf(shown);
      }
      for (String d : shown) {
        rows.add(MultiGauge.Row.of(Tags.of("mode", mode, "domain", d), () -> counts.count(d)));
      }
      rows.add(
          MultiGauge.Row.of(
              Tags.of("mode", mode, "domain", OTHER),
              () -> {
                long top = shown.stream().mapToLong(counts::count).sum();
                return Math.max(0, counts.total() - top);
              }));
    }
    gauge.register(rows, true);
  }

  /** Now when a domain joins a list with room left, else at most once a second. */
  private void maybeRefresh(Set<String> shown, String domain) {
    if ((shown.size() < EXPORTED && !shown.contains(domain))
        || System.nanoTime() - nextRefresh >= 0) {
      refresh();
    }
  }

  private TopCounts counts(String mode) {
    return switch (mode) {
      case "sign" -> signing;
      case "verify" -> verifying;
      default -> throw new IllegalArgumentException("mode: " + mode + " (expected: sign, verify)");
    };
  }

  private static String normal(String domain) {
    if (domain.isBlank()) {
      return "(none)";
    }
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }
}
