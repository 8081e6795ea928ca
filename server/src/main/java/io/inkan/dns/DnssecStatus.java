package io.inkan.dns;

/**
 * What DNSSEC validation made of a key-record answer (RFC 4035 §4.3), in the words OpenDKIM's
 * Unbound builds use in their Authentication-Results comments.
 */
public enum DnssecStatus {
  /** No {@code TrustAnchorFile}: nothing was validated. */
  UNVALIDATED("not validated"),
  /** Every answer of the lookup (CNAME hops included) validated from a trust anchor. */
  SECURE("secure"),
  /** Validly unsigned, or outside every trust anchor: usable, as OpenDKIM's "unprotected". */
  INSECURE("unprotected"),
  /** Validation failed: the key record is treated as absent, as OpenDKIM does. */
  BOGUS("bogus");

  private final String word;

  DnssecStatus(String word) {
    this.word = word;
  }

  /** OpenDKIM's word: "secure", "unprotected", "bogus"; "not validated" without anchors. */
  public String word() {
    return word;
  }
}
