package io.inkan.keys.tools;

import java.util.List;

/**
 * What {@link KeyCheck} found for one selector and domain.
 *
 * @param domain the signing domain
 * @param selector the selector
 * @param outcome the verdict
 * @param reason one line for the operator, e.g. {@code key OK} or {@code record is revoked}
 * @param details further lines for verbose output (record text, key size, TTL)
 */
public record KeyCheckResult(
    String domain, String selector, Outcome outcome, String reason, List<String> details) {

  public KeyCheckResult {
    details = List.copyOf(details);
  }

  /** The verdicts, from fine to broken (of several records, the worst is reported). */
  public enum Outcome {
    /** The record is published and matches the private key (or parses, when none was given). */
    OK,
    /** The keys match, but verifiers will not accept signatures ({@code h=}, {@code s=}, size). */
    UNUSABLE,
    /** NXDOMAIN, or no TXT record at the name. */
    NOT_FOUND,
    /** A timeout, SERVFAIL or unreachable server: try again. */
    DNS_ERROR,
    /** The TXT record is no DKIM key record, or its key does not decode. */
    NOT_A_KEY_RECORD,
    /** {@code p=} is empty (RFC 6376 §3.6.1). */
    REVOKED,
    /** {@code k=} names another (or an unknown) key type. */
    WRONG_KEY_TYPE,
    /** The published public key is not the private key's public half. */
    MISMATCH;

    public boolean ok() {
      return this == OK;
    }
  }

  public boolean ok() {
    return outcome.ok();
  }

  /** {@code DOMAIN/SELECTOR: REASON}. */
  public String line() {
    return domain + "/" + selector + ": " + reason;
  }
}
