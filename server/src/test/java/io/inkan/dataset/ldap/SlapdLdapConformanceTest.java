package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetConformance;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.testing.Slapd;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The data set contract for {@code ldap:} sets against a real slapd. */
class SlapdLdapConformanceTest extends DataSetConformance {
  private static Slapd slapd;

  @BeforeAll
  static void startSlapd() throws Exception {
    slapd = Slapd.start();
  }

  @AfterAll
  static void stopSlapd() {
    if (slapd != null) {
      slapd.close();
    }
  }

  @Override
  protected DataSet open(Map<String, String> rows) throws Exception {
    try (LDAPConnection c = slapd.connect()) {
      if (c.getEntry(LdapRows.TABLE) != null) {
        for (SearchResultEntry e :
            c.search(LdapRows.TABLE, SearchScope.ONE, "(objectClass=*)", "1.1")
                .getSearchEntries()) {
          c.delete(e.getDN());
        }
        c.delete(LdapRows.TABLE);
      }
      for (Entry e : LdapRows.entries(rows)) {
        c.add(e);
      }
    }
    return LdapDataSet.open(
        LdapRows.spec(slapd.url()),
        new Source("test.conf", 4),
        KeyCase.INSENSITIVE,
        DataSetOptions.DEFAULTS);
  }

  @Override
  protected void update(String key, String value) throws Exception {
    try (LDAPConnection c = slapd.connect()) {
      c.modify(LdapRows.dn(key), new Modification(ModificationType.REPLACE, "description", value));
    }
  }
}
