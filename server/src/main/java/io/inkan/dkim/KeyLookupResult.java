package io.inkan.dkim;

import java.util.List;
import java.util.OptionalLong;

/** What a key-record lookup found: records, or a typed failure (RFC 6376 §6.1.2). */
public sealed interface KeyLookupResult {

  /**
   * One or more TXT records at the name.
   *
   * @param records each record's strings joined
   * @param dnssecSecure whether the answer was DNSSEC-validated
   */
  record Found(List<TxtRecord> records, boolean dnssecSecure) implements KeyLookupResult {
    public Found {
      records = List.copyOf(records);
    }

    /** Records without TTLs and without DNSSEC, e.g. from a test-key file. */
    public static Found of(String... texts) {
      return new Found(java.util.Arrays.stream(texts).map(TxtRecord::of).toList(), false);
    }
  }

  /** The name does not exist. */
  record NxDomain() implements KeyLookupResult {}

  /** The name exists but has no TXT record. */
  record NoData() implements KeyLookupResult {}

  /** A temporary failure (timeout, SERVFAIL, unreachable server). */
  record TempFail(String reason) implements KeyLookupResult {}

  /**
   * One TXT record.
   *
   * @param text the record's strings concatenated
   * @param ttl seconds to live, when known
   */
  record TxtRecord(String text, OptionalLong ttl) {
    public static TxtRecord of(String text) {
      return new TxtRecord(text, OptionalLong.empty());
    }
  }
}
