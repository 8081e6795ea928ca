package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.RDN;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Data set rows stored as directory entries for the conformance tests: one {@code device} entry per
 * row below {@code ou=table}, the key in {@code cn} (also the RDN), the value in {@code
 * description}.
 */
final class LdapRows {
  static final String TABLE = "ou=table," + InMemoryLdap.BASE;

  private LdapRows() {}

  /** The table entry and one entry per row. */
  static List<Entry> entries(Map<String, String> rows) {
    List<Entry> out = new ArrayList<>();
    out.add(
        new Entry(
            TABLE,
            new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "organizationalUnit"),
            new com.unboundid.ldap.sdk.Attribute("ou", "table")));
    rows.forEach(
        (key, value) -> {
          Entry e = new Entry(dn(key));
          e.addAttribute("objectClass", "top", "device");
          e.addAttribute("cn", key);
          e.addAttribute("description", value);
          out.add(e);
        });
    return out;
  }

  /** The DN of a row's entry. */
  static String dn(String key) {
    try {
      return new DN(new RDN("cn", key), new DN(TABLE)).toString();
    } catch (com.unboundid.ldap.sdk.LDAPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The data set specification over the table on {@code url}. */
  static String spec(String url) {
    return url + "/" + TABLE + "?description?one?(cn=$d)";
  }
}
