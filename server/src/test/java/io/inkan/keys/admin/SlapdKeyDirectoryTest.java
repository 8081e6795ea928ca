package io.inkan.keys.admin;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPInterface;
import io.inkan.testing.Slapd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The key directory contract against a real slapd with the repository's schema. */
class SlapdKeyDirectoryTest extends KeyDirectoryContract {
  private static Slapd slapd;
  private static LDAPConnection connection;

  @BeforeAll
  static void start() throws Exception {
    slapd = Slapd.start();
    slapd.add("dn: " + BASE + "\nobjectClass: top\nobjectClass: organizationalUnit\nou: dkim\n");
    connection = slapd.connect();
  }

  @AfterAll
  static void stop() {
    if (connection != null) {
      connection.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  @Override
  protected LDAPInterface ldap() {
    return connection;
  }
}
