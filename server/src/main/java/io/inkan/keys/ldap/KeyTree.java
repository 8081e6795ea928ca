package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.RDN;
import java.net.IDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The key tree's names (ldap-schema/README.md, "DN layout for Inkan's native mode"): a domain's
 * entry is its labels as {@code dc=} RDNs above the base ({@code example.com} below {@code
 * ou=dkim,dc=example,dc=com} is {@code dc=example,dc=com,ou=dkim,dc=example,dc=com}), and its keys
 * are the entries one level below that.
 */
final class KeyTree {
  private static final Set<String> DC =
      Set.of("dc", "domaincomponent", "0.9.2342.19200300.100.1.25");

  private final DN base;

  KeyTree(DN base) {
    this.base = base;
  }

  DN base() {
    return base;
  }

  /**
   * A sender domain in the form the tree and the cache use: A-labels (RFC 5890), ASCII lower case,
   * without a trailing dot; empty when it is no host name (RFC 1123 §2.1 labels, plus {@code _}),
   * which also keeps DN and filter syntax such as {@code ,}, {@code =}, {@code *} or {@code (} out
   * of every query.
   */
  static Optional<String> normalize(String domain) {
    String d = domain.strip();
    if (d.endsWith(".")) {
      d = d.substring(0, d.length() - 1);
    }
    if (!d.chars().allMatch(c -> c < 0x80)) {
      try {
        d = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES);
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    }
    d = d.toLowerCase(Locale.ROOT);
    if (d.isEmpty() || d.length() > 253) {
      return Optional.empty();
    }
    for (String label : d.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > 63 || !label.chars().allMatch(KeyTree::ldh)) {
        return Optional.empty();
      }
    }
    return Optional.of(d);
  }

  private static boolean ldh(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }

  /**
   * The entry of a domain: one {@code dc=} RDN per label (values escaped by the SDK), then base.
   */
  DN domainDn(String domain) {
    String[] labels = domain.split("\\.", -1);
    RDN[] base = this.base.getRDNs();
    RDN[] rdns = new RDN[labels.length + base.length];
    for (int i = 0; i < labels.length; i++) {
      rdns[i] = new RDN("dc", labels[i]);
    }
    System.arraycopy(base, 0, rdns, labels.length, base.length);
    return new DN(rdns);
  }

  /**
   * The domain a key entry belongs to: the {@code dc=} RDNs of its parent right above the base,
   * lower case; empty when the entry is not in a domain's part of the tree.
   */
  Optional<String> domainOfKey(DN entry) {
    if (!entry.isDescendantOf(base, false)) {
      return Optional.empty();
    }
    RDN[] rdns = entry.getRDNs();
    int below = rdns.length - base.getRDNs().length;
    List<String> labels = new ArrayList<>();
    for (int i = below - 1; i >= 1 && domainComponent(rdns[i]); i--) {
      labels.add(0, rdns[i].getAttributeValues()[0].toLowerCase(Locale.ROOT));
    }
    return labels.isEmpty() ? Optional.empty() : Optional.of(String.join(".", labels));
  }

  private static boolean domainComponent(RDN rdn) {
    return !rdn.isMultiValued() && DC.contains(rdn.getAttributeNames()[0].toLowerCase(Locale.ROOT));
  }
}
