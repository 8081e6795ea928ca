package io.inkan.dkim;

import java.util.concurrent.CompletionStage;

/**
 * Finds the TXT records at a key-record name ({@code selector._domainkey.domain}, RFC 6376
 * §3.6.2.1). DNS, test files and caches implement or decorate it; it never throws, every failure is
 * a {@link KeyLookupResult}.
 */
@FunctionalInterface
public interface KeyRecordLookup {
  CompletionStage<KeyLookupResult> lookup(String name);

  /** The key-record name for a selector and domain. */
  static String recordName(String selector, String domain) {
    return selector + "._domainkey." + domain;
  }
}
