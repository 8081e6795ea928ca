package io.inkan.keys.admin;

import com.unboundid.ldap.sdk.RDN;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Names of the key layout: signing domains and selectors as DNS names (RFC 6376 §3.1), a domain's
 * entry as its {@code dc=} labels above the base (ldap-schema/README.md, "DN layout"), and the key
 * record's owner {@code SELECTOR._domainkey.DOMAIN} (RFC 6376 §3.6.2.1).
 */
public final class DkimNames {
  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
  private static final Pattern DNS_NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("yyyyMM");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm");

  private DkimNames() {}

  /** The domain in lower case without a final dot, or what is wrong with it. */
  public static Optional<String> domainProblem(String domain) {
    String d = normalize(domain);
    if (!d.contains(".") || !DNS_NAME.matcher(d).matches() || d.length() > 253) {
      return Optional.of(
          domain + ": not a domain name with at least two labels (write IDNs in their xn-- form)");
    }
    return Optional.empty();
  }

  /** What is wrong with a selector, if anything. */
  public static Optional<String> selectorProblem(String selector) {
    if (!DNS_NAME.matcher(selector).matches() || selector.length() > 63) {
      return Optional.of(selector + ": a selector is DNS labels of letters, digits and '-'");
    }
    return Optional.empty();
  }

  /** Lower case, without a final dot. */
  public static String normalize(String domain) {
    String d = domain.toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /** {@code dc=example,dc=com,BASE} for {@code example.com}. */
  public static String domainDn(String domain, String base) {
    StringBuilder dn = new StringBuilder();
    for (String label : normalize(domain).split("\\.")) {
      dn.append(new RDN("dc", label)).append(',');
    }
    return dn.append(base).toString();
  }

  /**
   * The DNs from the top label down to the domain: {@code dc=com,BASE}, then {@code
   * dc=example,dc=com,BASE}.
   */
  public static List<String> domainChain(String domain, String base) {
    String[] labels = normalize(domain).split("\\.");
    List<String> chain = new ArrayList<>();
    for (int i = labels.length - 1; i >= 0; i--) {
      chain.add(domainDn(String.join(".", List.of(labels).subList(i, labels.length)), base));
    }
    return chain;
  }

  /** A key entry's DN: {@code DKIMSelector=SELECTOR,} its domain's DN. */
  public static String keyDn(String domain, String selector, String base) {
    return new RDN("DKIMSelector", selector) + "," + domainDn(domain, base);
  }

  /** The key record's absolute owner name, {@code SELECTOR._domainkey.DOMAIN.} */
  public static String recordName(String selector, String domain) {
    return selector + "._domainkey." + normalize(domain) + ".";
  }

  /**
   * Selectors to try, in order, when none is given: {@code sYYYYMM} for RSA and {@code eYYYYMM} for
   * Ed25519 keys (UTC), then the same with the day, then with the day and time.
   */
  public static List<String> defaultSelectors(KeyType type, ZonedDateTime now) {
    ZonedDateTime utc = now.withZoneSameInstant(ZoneOffset.UTC);
    String prefix = type == KeyType.ED25519 ? "e" : "s";
    return List.of(
        prefix + MONTH.format(utc),
        prefix + DAY.format(utc),
        (prefix + MINUTE.format(utc)).toLowerCase(Locale.ROOT));
  }
}
