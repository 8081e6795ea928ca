package io.inkan.keys.tools;

import io.inkan.keys.DkimTxtRecord;

/**
 * A key record to publish at {@code SELECTOR._domainkey.DOMAIN} (RFC 6376 §3.6.2.1).
 *
 * @param domain the signing domain, without a trailing dot
 * @param selector the selector
 * @param record the record
 */
public record PublishedKey(String domain, String selector, DkimTxtRecord record) {

  /** {@code SELECTOR._domainkey.DOMAIN.}, absolute. */
  public String absoluteName() {
    return selector + "._domainkey." + domain + ".";
  }
}
