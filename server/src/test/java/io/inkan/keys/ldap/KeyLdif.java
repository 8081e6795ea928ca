package io.inkan.keys.ldap;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.keys.DkimKeyGenerator;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** LDIF for key trees below {@link #BASE}, the same for the in-memory server and slapd. */
final class KeyLdif {
  static final String SUFFIX = "dc=example,dc=com";
  static final String BASE = "ou=dkim," + SUFFIX;

  /** One RSA (1024 bits, for speed) and one Ed25519 key, made once per test run. */
  static final DkimKeyGenerator.Generated RSA = generate(KeyType.RSA, 1024);

  static final DkimKeyGenerator.Generated ED25519 = generate(KeyType.ED25519, 256);

  private KeyLdif() {}

  private static DkimKeyGenerator.Generated generate(KeyType type, int bits) {
    try {
      return DkimKeyGenerator.generate(type, bits);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The base entry. */
  static String base() {
    return "dn: " + BASE + "\nobjectClass: top\nobjectClass: organizationalUnit\nou: dkim\n";
  }

  /** The {@code dc=} entries of a domain and its parents, parents first. */
  static String domain(String domain) {
    String[] labels = domain.split("\\.");
    StringBuilder ldif = new StringBuilder();
    String dn = BASE;
    for (int i = labels.length - 1; i >= 0; i--) {
      dn = "dc=" + labels[i] + "," + dn;
      ldif.append("dn: ")
          .append(dn)
          .append("\nobjectClass: top\nobjectClass: domain\ndc: ")
          .append(labels[i])
          .append("\n\n");
    }
    return ldif.toString();
  }

  /** The DN of a domain's entry. */
  static String domainDn(String domain) {
    return "dc=" + domain.replace(".", ",dc=") + "," + BASE;
  }

  /** The DN of a key entry. */
  static String keyDn(String domain, String selector) {
    return "DKIMSelector=" + selector + "," + domainDn(domain);
  }

  /** A key entry with {@code key} as DKIMKey (base64 lines folded) and more attribute lines. */
  static String key(String domain, String selector, String key, String... more) {
    List<String> lines = new ArrayList<>();
    lines.add("dn: " + keyDn(domain, selector));
    lines.add("objectClass: top");
    lines.add("objectClass: inkanDkimKey");
    lines.add("objectClass: DKIM");
    lines.add("objectClass: inkanDkimKeyOptions");
    lines.add("DKIMSelector: " + selector);
    lines.add("DKIMKey:: " + java.util.Base64.getEncoder().encodeToString(key.getBytes()));
    lines.addAll(List.of(more));
    return String.join("\n", lines) + "\n";
  }

  /** A modification of one attribute of a key entry. */
  static String replace(String domain, String selector, String attribute, String value) {
    return "dn: "
        + keyDn(domain, selector)
        + "\nchangetype: modify\nreplace: "
        + attribute
        + "\n"
        + attribute
        + ": "
        + value
        + "\n";
  }
}
