package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetConformance;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** The data set contract for {@code ldap:} sets against UnboundID's in-memory directory. */
class InMemoryLdapConformanceTest extends DataSetConformance {
  private InMemoryLdap ldap;

  @Override
  protected DataSet open(Map<String, String> rows) throws Exception {
    ldap = InMemoryLdap.start();
    for (Entry e : LdapRows.entries(rows)) {
      ldap.add(e);
    }
    return LdapDataSet.open(
        LdapRows.spec(ldap.url()),
        new Source("test.conf", 3),
        KeyCase.INSENSITIVE,
        DataSetOptions.DEFAULTS);
  }

  @Override
  protected void update(String key, String value) throws Exception {
    ldap.server()
        .modify(LdapRows.dn(key), new Modification(ModificationType.REPLACE, "description", value));
  }

  @AfterEach
  void stopServer() {
    if (ldap != null) {
      ldap.close();
    }
  }
}
