package io.inkan.dataset.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFModifyChangeRecord;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import io.inkan.testing.Slapd;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;

/**
 * UnboundID's in-memory directory for {@code dc=example,dc=com}, schema-checked with the standard
 * schema plus the repository's {@code ldap-schema/rfc4512-schema.ldif}, listening on 127.0.0.1: a
 * plain listener (with StartTLS when given a certificate) and, with a certificate, an LDAPS one.
 */
final class InMemoryLdap implements AutoCloseable {
  static final String BASE = "dc=example,dc=com";
  static final String ADMIN = "cn=admin," + BASE;
  static final String ADMIN_PASSWORD = "in-memory-admin-secret";

  private final InMemoryDirectoryServer server;

  private InMemoryLdap(InMemoryDirectoryServer server) {
    this.server = server;
  }

  /** A plain server with the suffix entry. */
  static InMemoryLdap start() throws Exception {
    return start(null, null, 0);
  }

  /** A plain server with the suffix entry on a given port. */
  static InMemoryLdap start(int port) throws Exception {
    return start(null, null, port);
  }

  /**
   * A server whose plain listener offers StartTLS and which also listens for LDAPS, both with
   * {@code cert}'s key; {@code accessLog} sees every LDAP message (null: none).
   */
  static InMemoryLdap start(TestCertificates.Server cert, Handler accessLog) throws Exception {
    return start(cert, accessLog, 0);
  }

  private static InMemoryLdap start(TestCertificates.Server cert, Handler accessLog, int port)
      throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.addAdditionalBindCredentials(ADMIN, ADMIN_PASSWORD);
    config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), repoSchema()));
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    List<InMemoryListenerConfig> listeners = new ArrayList<>();
    if (cert == null) {
      listeners.add(InMemoryListenerConfig.createLDAPConfig("ldap", loopback, port, null));
    } else {
      SSLUtil ssl =
          new SSLUtil(
              new KeyStoreKeyManager(
                  cert.keyStore().toFile(), cert.password(), "PKCS12", cert.alias()),
              new TrustAllTrustManager());
      listeners.add(
          InMemoryListenerConfig.createLDAPConfig(
              "ldap", loopback, 0, ssl.createSSLSocketFactory()));
      listeners.add(
          InMemoryListenerConfig.createLDAPSConfig(
              "ldaps", loopback, 0, ssl.createSSLServerSocketFactory(), null));
    }
    config.setListenerConfigs(listeners);
    if (accessLog != null) {
      config.setLDAPDebugLogHandler(accessLog);
    }
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.add(
        "dn: " + BASE,
        "objectClass: top",
        "objectClass: dcObject",
        "objectClass: organization",
        "dc: example",
        "o: Example");
    server.startListening();
    return new InMemoryLdap(server);
  }

  /** The DKIM and Inkan definitions of {@code ldap-schema/rfc4512-schema.ldif}. */
  static Schema repoSchema() throws Exception {
    Path file = Slapd.schemaDir().resolve("rfc4512-schema.ldif");
    Entry subschema = new Entry("cn=schema");
    try (LDIFReader reader = new LDIFReader(file.toFile())) {
      for (LDIFChangeRecord r = reader.readChangeRecord();
          r != null;
          r = reader.readChangeRecord()) {
        for (Modification m : ((LDIFModifyChangeRecord) r).getModifications()) {
          subschema.addAttribute(m.getAttributeName(), m.getValues());
        }
      }
    }
    return new Schema(subschema);
  }

  InMemoryDirectoryServer server() {
    return server;
  }

  int port() {
    return server.getListenPort("ldap");
  }

  int ldapsPort() {
    return server.getListenPort("ldaps");
  }

  /** {@code ldap://127.0.0.1:PORT}. */
  String url() {
    return "ldap://127.0.0.1:" + port();
  }

  void add(String... ldifLines) throws Exception {
    server.add(ldifLines);
  }

  void add(Entry entry) throws Exception {
    server.add(entry);
  }

  LDAPConnection connect() throws Exception {
    return server.getConnection();
  }

  void stop() {
    server.shutDown("ldap", true);
    if (server.getListenPort("ldaps") > 0) {
      server.shutDown("ldaps", true);
    }
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
