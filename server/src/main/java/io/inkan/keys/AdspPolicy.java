package io.inkan.keys;

import java.util.Locale;
import java.util.Optional;

/**
 * An ADSP signing practice, published at {@code _adsp._domainkey} (RFC 5617 §4.2.1). ADSP was moved
 * to Historic in 2013 and receivers ignore it; it is written only for operators who still want the
 * record opendkim's tools used to offer.
 */
public enum AdspPolicy {
  UNKNOWN,
  ALL,
  DISCARDABLE;

  /** The {@code dkim=} value: unknown, all or discardable. */
  public String tagValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@code dkim=} value, case-insensitively. */
  public static Optional<AdspPolicy> parse(String text) {
    for (AdspPolicy p : values()) {
      if (p.tagValue().equalsIgnoreCase(text.strip())) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The zone-file line, in the layout of {@link DkimTxtRecord#zoneFileEntry}: {@code
   * _adsp._domainkey<TAB>IN<TAB>TXT<TAB>"dkim=unknown"}.
   *
   * @param appendDomain whether to write the absolute name {@code _adsp._domainkey.DOMAIN.}
   */
  public String zoneFileEntry(String domain, boolean appendDomain) {
    return DkimTxtRecord.ownerName("_adsp", domain, appendDomain)
        + "\tIN\tTXT\t\"dkim="
        + tagValue()
        + "\"\n";
  }
}
