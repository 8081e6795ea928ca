package io.inkan.keys.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFModifyChangeRecord;
import com.unboundid.ldif.LDIFReader;
import io.inkan.testing.Slapd;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * UnboundID's in-memory directory for {@link KeyLdif#SUFFIX} with the repository's schema ({@code
 * ldap-schema/rfc4512-schema.ldif}) and the key tree's base, counting the one-level key searches
 * and, on request, slowing them down.
 */
final class InMemoryKeyTree implements AutoCloseable {
  private final InMemoryDirectoryServer server;
  final AtomicInteger keySearches = new AtomicInteger();
  volatile long searchDelayMillis;

  private InMemoryKeyTree(boolean schemaChecked, int port) throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(KeyLdif.SUFFIX);
    config.setSchema(
        schemaChecked
            ? Schema.mergeSchemas(Schema.getDefaultStandardSchema(), repoSchema())
            : null);
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig(
            "ldap", InetAddress.getByName("127.0.0.1"), port, null));
    config.addInMemoryOperationInterceptor(
        new InMemoryOperationInterceptor() {
          @Override
          public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
            if (request.getRequest().getScope() == SearchScope.ONE) {
              keySearches.incrementAndGet();
              sleep(searchDelayMillis);
            }
          }
        });
    server = new InMemoryDirectoryServer(config);
    server.add(
        "dn: " + KeyLdif.SUFFIX,
        "objectClass: top",
        "objectClass: dcObject",
        "objectClass: organization",
        "dc: example",
        "o: Example");
    add(KeyLdif.base());
    server.startListening();
  }

  /** A schema-checked server with the base entry. */
  static InMemoryKeyTree start() throws Exception {
    return new InMemoryKeyTree(true, 0);
  }

  /** A schema-checked server on a fixed port (to come back on it after {@link #stopListening}). */
  static InMemoryKeyTree start(int port) throws Exception {
    return new InMemoryKeyTree(true, port);
  }

  /** A server that checks no schema, for entries that a schema would refuse. */
  static InMemoryKeyTree startWithoutSchema() throws Exception {
    return new InMemoryKeyTree(false, 0);
  }

  private static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

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

  /** {@code ldap://127.0.0.1:PORT/BASE}. */
  String url() {
    return "ldap://127.0.0.1:" + server.getListenPort() + "/" + KeyLdif.BASE;
  }

  int port() {
    return server.getListenPort();
  }

  /** Adds every entry of an LDIF text; {@code domain} entries that exist are left alone. */
  void add(String ldif) throws Exception {
    try (LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
      for (Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
        if (!(e.hasObjectClass("domain") && server.entryExists(e.getDN()))) {
          server.add(e);
        }
      }
    }
  }

  /** Applies every change record of an LDIF text. */
  void modify(String ldif) throws Exception {
    try (LDAPConnection c = server.getConnection();
        LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
      for (LDIFChangeRecord r = reader.readChangeRecord(true);
          r != null;
          r = reader.readChangeRecord(true)) {
        r.processChange(c);
      }
    }
  }

  void delete(String dn) throws Exception {
    server.delete(dn);
  }

  /** Stops listening and drops its connections (the data stays), as a server that went away. */
  void stopListening() {
    server.shutDown(true);
  }

  void startListening() throws Exception {
    server.startListening();
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
