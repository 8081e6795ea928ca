package io.inkan.keys.admin;

import com.unboundid.ldap.sdk.LDAPInterface;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The key directory contract against UnboundID's schema-checking in-memory server. */
class InMemoryKeyDirectoryTest extends KeyDirectoryContract {
  private static InMemoryKeyServer server;

  @BeforeAll
  static void start() throws Exception {
    server = InMemoryKeyServer.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Override
  protected LDAPInterface ldap() {
    return server.server();
  }
}
