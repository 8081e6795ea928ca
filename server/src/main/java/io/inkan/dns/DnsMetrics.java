package io.inkan.dns;

import java.util.Locale;

/**
 * Where {@link DnsKeyRecordLookup} reports each key-record query it sends and how it ended, with
 * its time: a Micrometer binding in the daemon, {@link #NONE} elsewhere.
 */
@FunctionalInterface
public interface DnsMetrics {
  DnsMetrics NONE = (outcome, nanos) -> {};

  /** How one lookup ended (RFC 6376 §6.1.2: NXDOMAIN and NODATA are permanent, the rest not). */
  enum Outcome {
    /** At least one TXT record. */
    FOUND,
    /** The name does not exist. */
    NXDOMAIN,
    /** The name exists without TXT records, or DNSSEC found the answer bogus. */
    NODATA,
    /** A name server answered SERVFAIL (or another failure rcode). */
    SERVFAIL,
    /** No answer within {@code DNSTimeout}. */
    TIMEOUT,
    /** Anything else: a network error, a malformed answer. */
    ERROR;

    /** The tag value: the name in lower case. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** One lookup started (its query about to be sent). */
  default void sent() {}

  /**
   * One lookup done.
   *
   * @param nanos from sending the query to its outcome, CNAME hops and retries included
   */
  void answered(Outcome outcome, long nanos);
}
