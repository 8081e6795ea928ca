package io.inkan.keys.admin;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFModifyChangeRecord;
import com.unboundid.ldif.LDIFReader;
import io.inkan.testing.Slapd;
import java.net.InetAddress;

/**
 * UnboundID's in-memory directory for {@code dc=example,dc=com}, schema-checked with the standard
 * schema plus {@code ldap-schema/rfc4512-schema.ldif}, holding the suffix and {@code ou=dkim}.
 */
public final class InMemoryKeyServer implements AutoCloseable {
  public static final String SUFFIX = "dc=example,dc=com";
  public static final String BASE = "ou=dkim," + SUFFIX;
  public static final String ADMIN = "cn=admin," + SUFFIX;
  public static final String ADMIN_PASSWORD = "in-memory-admin-secret";

  private final InMemoryDirectoryServer server;

  private InMemoryKeyServer(InMemoryDirectoryServer server) {
    this.server = server;
  }

  public static InMemoryKeyServer start() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(SUFFIX);
    config.addAdditionalBindCredentials(ADMIN, ADMIN_PASSWORD);
    config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), repoSchema()));
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig(
            "ldap", InetAddress.getByName("127.0.0.1"), 0, null));
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.add(
        "dn: " + SUFFIX,
        "objectClass: top",
        "objectClass: dcObject",
        "objectClass: organization",
        "dc: example",
        "o: Example");
    server.add("dn: " + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: dkim");
    server.startListening();
    return new InMemoryKeyServer(server);
  }

  /** The DKIM and Inkan definitions of {@code ldap-schema/rfc4512-schema.ldif}. */
  static Schema repoSchema() throws Exception {
    Entry subschema = new Entry("cn=schema");
    try (LDIFReader reader =
        new LDIFReader(Slapd.schemaDir().resolve("rfc4512-schema.ldif").toFile())) {
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

  public InMemoryDirectoryServer server() {
    return server;
  }

  /** {@code ldap://127.0.0.1:PORT/ou=dkim,dc=example,dc=com}. */
  public String url() {
    return "ldap://127.0.0.1:" + server.getListenPort("ldap") + "/" + BASE;
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
