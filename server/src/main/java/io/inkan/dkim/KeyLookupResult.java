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

  /**
   * The name does not exist.
   *
   * @param ttl seconds this answer may be cached, from the SOA of the authority section (RFC 2308
   *     §5: the lower of the SOA's TTL and its MINIMUM field), when known
   */
  record NxDomain(OptionalLong ttl) implements KeyLookupResult {
    /** Without a known negative TTL. */
    public NxDomain() {
      this(OptionalLong.empty());
    }
  }

  /**
   * The name exists but has no TXT record.
   *
   * @param ttl seconds this answer may be cached, from the SOA as for {@link NxDomain}, when known
   */
  record NoData(OptionalLong ttl) implements KeyLookupResult {
    /** Without a known negative TTL. */
    public NoData() {
      this(OptionalLong.empty());
    }
  }

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
