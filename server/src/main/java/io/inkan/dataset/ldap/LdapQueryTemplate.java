package io.inkan.dataset.ldap;

/**
 * A search base or filter with OpenDKIM's placeholders (opendkim.conf(5), DATA SETS): {@code $d}
 * becomes the lookup key and {@code $D} the key as a DN of {@code dc=} labels ({@code
 * a.example.com} → {@code dc=a,dc=example,dc=com}). The key is always escaped for where it lands,
 * so it can only ever be a value: in a filter per RFC 4515 §3, in a DN per RFC 4514 §2.4.
 *
 * <p>Differences from OpenDKIM's {@code dkimf_db_mkldapquery()}: it escapes {@code $d} in the base
 * DN with filter escapes (so a key holding {@code ,} or {@code +} rewrites the DN), and it drops
 * any other {@code $x} pair; Inkan escapes DN values as DN values and keeps other {@code $} text.
 */
final class LdapQueryTemplate {
  /** Where a template's text goes. */
  enum Context {
    DN,
    FILTER
  }

  private final String template;
  private final Context context;

  LdapQueryTemplate(String template, Context context) {
    this.template = template;
    this.context = context;
  }

  /** The template with {@code $d} and {@code $D} replaced by {@code key}, escaped. */
  String expand(String key) {
    StringBuilder out = new StringBuilder(template.length() + key.length() * 2);
    for (int i = 0; i < template.length(); i++) {
      char c = template.charAt(i);
      char next = i + 1 < template.length() ? template.charAt(i + 1) : 0;
      if (c == '$' && next == 'd') {
        out.append(context == Context.DN ? escapeDnValue(key) : escapeFilterValue(key));
        i++;
      } else if (c == '$' && next == 'D') {
        String dn = domainDn(key);
        out.append(context == Context.DN ? dn : escapeFilterValue(dn));
        i++;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Whether the template holds {@code $d} or {@code $D}. */
  boolean usesKey() {
    return template.contains("$d") || template.contains("$D");
  }

  @Override
  public String toString() {
    return template;
  }

  /**
   * An assertion value for a filter (RFC 4515 §3): {@code *}, {@code (}, {@code )}, {@code \} and
   * NUL become {@code \2a}, {@code \28}, {@code \29}, {@code \5c}, {@code \00}; everything else,
   * non-ASCII included, stays as it is (the filter is sent as UTF-8).
   */
  static String escapeFilterValue(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '*', '(', ')', '\\', '\0' -> out.append('\\').append(hex(c));
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * An attribute value for a DN string (RFC 4514 §2.4): {@code " + , ; < > \ =} get a backslash, as
   * do a leading space or {@code #} and a trailing space; NUL becomes {@code \00}.
   */
  static String escapeDnValue(String value) {
    StringBuilder out = new StringBuilder(value.length() + 8);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"', '+', ',', ';', '<', '>', '\\', '=' -> out.append('\\').append(c);
        case '\0' -> out.append("\\00");
        case ' ' -> {
          if (i == 0 || i == value.length() - 1) {
            out.append('\\');
          }
          out.append(c);
        }
        case '#' -> {
          if (i == 0) {
            out.append('\\');
          }
          out.append(c);
        }
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The key as {@code dc=} RDNs, one per dot-separated label, each escaped as a DN value ({@code
   * example.com} → {@code dc=example,dc=com}); an empty label gives an empty value, which a server
   * answers as "no such object".
   */
  static String domainDn(String key) {
    StringBuilder out = new StringBuilder(key.length() + 16);
    int start = 0;
    while (true) {
      int dot = key.indexOf('.', start);
      String label = key.substring(start, dot < 0 ? key.length() : dot);
      if (out.length() > 0) {
        out.append(',');
      }
      out.append("dc=").append(escapeDnValue(label));
      if (dot < 0) {
        return out.toString();
      }
      start = dot + 1;
    }
  }

  private static String hex(char c) {
    return String.format("%02x", (int) c);
  }
}
