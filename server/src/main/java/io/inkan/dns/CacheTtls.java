package io.inkan.dns;

import io.inkan.dkim.KeyLookupResult;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * How long an answer is kept: found records for their lowest TTL, raised to {@code min} and lowered
 * to {@code max}; NXDOMAIN and NODATA for the negative TTL of their SOA (RFC 2308 §5), or {@code
 * negative} without one, at most {@code max}; temporary failures for {@code tempFail} (RFC 2308 §7:
 * briefly, if at all). Zero means not kept.
 */
record CacheTtls(Duration min, Duration max, Duration negative, Duration tempFail) {
  static final CacheTtls DEFAULTS =
      new CacheTtls(
          Duration.ofSeconds(30),
          Duration.ofHours(1),
          Duration.ofMinutes(5),
          Duration.ofSeconds(5));

  /** For found records without a TTL (test-key files), before the bounds. */
  static final Duration UNKNOWN = Duration.ofMinutes(5);

  CacheTtls {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
    }
    if (negative.isNegative() || tempFail.isNegative()) {
      throw new IllegalArgumentException("negative and tempFail TTLs must not be negative");
    }
  }

  /** How long {@code result} may be kept. */
  Duration of(KeyLookupResult result) {
    if (result instanceof KeyLookupResult.Found found) {
      Duration ttl =
          found.records().stream()
              .map(KeyLookupResult.TxtRecord::ttl)
              .filter(OptionalLong::isPresent)
              .map(t -> Duration.ofSeconds(Math.max(0, t.getAsLong())))
              .min(Duration::compareTo)
              .orElse(UNKNOWN);
      return atMostMax(ttl.compareTo(min) < 0 ? min : ttl);
    }
    if (result instanceof KeyLookupResult.NxDomain nx) {
      return negative(nx.ttl());
    }
    if (result instanceof KeyLookupResult.NoData noData) {
      return negative(noData.ttl());
    }
    return atMostMax(tempFail);
  }

  private Duration negative(OptionalLong soa) {
    return atMostMax(soa.isPresent() ? Duration.ofSeconds(Math.max(0, soa.getAsLong())) : negative);
  }

  private Duration atMostMax(Duration ttl) {
    return ttl.compareTo(max) > 0 ? max : ttl;
  }
}
