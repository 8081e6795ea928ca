package io.inkan.policy;

import static io.inkan.policy.DkimMilterHandlerTest.BODY;
import static io.inkan.policy.DkimMilterHandlerTest.delivered;
import static io.inkan.policy.DkimMilterHandlerTest.inserted;
import static io.inkan.policy.DkimMilterHandlerTest.message;
import static io.inkan.policy.DkimMilterHandlerTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.RDN;
import io.inkan.config.ConfigLoader;
import io.inkan.dkim.VerificationResult;
import io.inkan.milter.MilterCommand;
import io.inkan.milter.MilterReply;
import io.inkan.milter.MilterSession;
import io.inkan.testing.Prerequisites;
import io.inkan.testing.Slapd;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InternalHosts and PeerList in SQL tables and LDAP directories, through a milter session: the
 * lists are asked key by key as OpenDKIM does, at the end of headers on the lookup executor (never
 * on the connection's thread), and a server that cannot answer is On-InternalError.
 */
class RemoteHostListsTest {
  /** InternalHosts: a network, a negated address in it, an IPv6 network. */
  static final List<String> INTERNAL = List.of("192.0.2.0/24", "!192.0.2.66", "2001:db8::/32");

  static final List<String> PEERS = List.of("198.51.100.7");
  static final String SUFFIX = "dc=example,dc=com";

  @TempDir Path dir;
  final DkimMilterHandlerTest fx = new DkimMilterHandlerTest();
  final ExecutorService pool = Executors.newFixedThreadPool(2);
  final AtomicInteger offThread = new AtomicInteger();
  final Executor lookups =
      task -> {
        offThread.incrementAndGet();
        pool.execute(task);
      };

  @BeforeEach
  void keys() throws Exception {
    fx.dir = dir;
    fx.keys();
  }

  @AfterEach
  void stopLookups() {
    pool.shutdownNow();
  }

  DkimPolicy policy(String internal, String peers, String extra) throws Exception {
    String conf =
        "Domain example.com\nSelector sel\nKeyFile "
            + fx.rsa
            + "\nAlwaysAddARHeader yes\nInternalHosts "
            + internal
            + "\nPeerList "
            + peers
            + "\n"
            + extra;
    Path f = Files.writeString(dir.resolve("inkan.conf"), conf);
    return DkimPolicy.from(
        ConfigLoader.load(f).config(),
        new DkimPolicy.Services(fx.lookup, Runnable::run, "mx.example.net").withLookups(lookups));
  }

  /** Listed: signed; unlisted: verified; negated: not internal; a peer: accepted untouched. */
  void assertHostListsDecide(DkimPolicy p) throws Exception {
    assertThat(p.lookupsMayBlock()).isTrue();
    List<String[]> msg = message("alice@example.com");
    List<MilterReply> internal = run(p, "192.0.2.10", Map.of(), msg, BODY);
    assertThat(inserted(internal, "DKIM-Signature")).hasSize(1);
    assertThat(fx.verify(delivered(internal, msg), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
    assertThat(inserted(run(p, "2001:db8:5::25", Map.of(), msg, BODY), "DKIM-Signature"))
        .hasSize(1);

    for (String external : List.of("203.0.113.5", "192.0.2.66")) {
      List<MilterReply> verified = run(p, external, Map.of(), msg, BODY);
      assertThat(inserted(verified, "DKIM-Signature")).as(external).isEmpty();
      assertThat(inserted(verified, "Authentication-Results").get(0).value())
          .as(external)
          .endsWith("; dkim=none");
    }

    assertThat(run(p, "198.51.100.7", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Accept());
    assertThat(offThread).hasValue(5); // each of the five decisions ran on the lookup executor
  }

  // ---- SQL ----

  record Database(String what, String jdbcUrl, String user, String dsnPrefix) {
    Connection connect() throws SQLException {
      return DriverManager.getConnection(jdbcUrl, user, "");
    }

    /** Skips (fails on CI) unless the server answers. */
    Database require() {
      boolean ok;
      try (Connection c = connect()) {
        ok = c.isValid(2);
      } catch (SQLException e) {
        ok = false;
      }
      Prerequisites.require(ok, what);
      return this;
    }

    String table(List<String> hosts) throws SQLException {
      String name = "inkan_hosts_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1);
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.execute("CREATE TABLE " + name + " (host VARCHAR(255) NOT NULL)");
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + name + " VALUES (?)")) {
          for (String h : hosts) {
            ps.setString(1, h);
            ps.executeUpdate();
          }
        }
      }
      return name;
    }

    void drop(String table) throws SQLException {
      try (Connection c = connect();
          Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS " + table);
      }
    }

    String dsn(String table) {
      return dsnPrefix + "/table=" + table + "?keycol=host?datacol=host";
    }
  }

  static final Database MARIADB =
      new Database(
          "MariaDB on 127.0.0.1:3306 (Debian package mariadb-server)",
          "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=2000",
          "root",
          "dsn:mysql://root@3306+127.0.0.1/test");
  static final Database POSTGRESQL =
      new Database(
          "PostgreSQL on 127.0.0.1:5432 (Debian package postgresql)",
          "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=2",
          "postgres",
          "dsn:pgsql://postgres@5432+127.0.0.1/test");

  void sqlHostLists(Database db) throws Exception {
    db.require();
    String internal = db.table(INTERNAL);
    String peers = db.table(PEERS);
    try {
      DkimPolicy p = policy(db.dsn(internal), db.dsn(peers), "");
      try {
        assertHostListsDecide(p);
      } finally {
        p.close();
      }
    } finally {
      db.drop(internal);
      db.drop(peers);
    }
  }

  @Test
  void mariaDbHostLists() throws Exception {
    sqlHostLists(MARIADB);
  }

  @Test
  void postgreSqlHostLists() throws Exception {
    sqlHostLists(POSTGRESQL);
  }

  @Test
  void sqliteHostLists() throws Exception {
    Path file = dir.resolve("hosts.db");
    String prefix = "dsn:sqlite3://" + dir.toString().replace("/", "=2F") + "/hosts.db";
    sqlHostLists(new Database("SQLite", "jdbc:sqlite:" + file, "", prefix));
  }

  @Test
  void aDatabaseThatCannotAnswerIsOnInternalErrorUnlessNoListIsAsked() throws Exception {
    String down = "dsn:mysql://root@1+127.0.0.1/test/table=h?keycol=host?datacol=host";
    DkimPolicy p = policy(down, "csl:198.51.100.7", "SoftStart yes\n");
    List<String[]> msg = message("alice@example.com");
    assertThat(run(p, "192.0.2.10", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Tempfail());
    // an authenticated client signs without asking InternalHosts
    List<MilterReply> auth = run(p, "192.0.2.10", Map.of("{auth_authen}", "alice"), msg, BODY);
    assertThat(inserted(auth, "DKIM-Signature")).hasSize(1);
    p.close();

    DkimPolicy reject =
        policy(down, "csl:198.51.100.7", "SoftStart yes\nOn-InternalError reject\n");
    assertThat(run(reject, "192.0.2.10", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Reject());
    reject.close();

    DkimPolicy peerDown = policy("csl:127.0.0.1", down, "SoftStart yes\n");
    // the connect step asks nothing remote: it continues, and the message decides
    MilterSession s =
        new MilterSession(new DkimMilterHandler(peerDown), DkimMilterHandler.wants(peerDown));
    s.handle(new MilterCommand.Negotiate(6, 0x1ff, 0x1fffff));
    assertThat(s.handle(new MilterCommand.Connect("client.example", '4', 4711, "198.51.100.7")))
        .isEqualTo(new MilterSession.Reply(List.of(new MilterReply.Continue())));
    assertThat(run(peerDown, "198.51.100.7", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Tempfail());
    peerDown.close();
  }

  // ---- LDAP ----

  /** The LDAP servers the lists live on. */
  interface Directory extends AutoCloseable {
    String url();

    LDAPConnection connect() throws Exception;

    void stop();

    @Override
    void close();
  }

  static void addLists(Directory d) throws Exception {
    try (LDAPConnection c = d.connect()) {
      for (String ou : List.of("internal", "peers")) {
        c.add(
            new Entry(
                "ou=" + ou + "," + SUFFIX,
                new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "organizationalUnit"),
                new com.unboundid.ldap.sdk.Attribute("ou", ou)));
        for (String host : ou.equals("internal") ? INTERNAL : PEERS) {
          Entry e = new Entry(new DN(new RDN("cn", host), new DN("ou=" + ou + "," + SUFFIX)));
          e.addAttribute("objectClass", "top", "device");
          e.addAttribute("cn", host);
          c.add(e);
        }
      }
    }
  }

  static String spec(Directory d, String ou) {
    return d.url() + "/ou=" + ou + "," + SUFFIX + "?cn?one?(cn=$d)";
  }

  void ldapHostLists(Directory d) throws Exception {
    addLists(d);
    DkimPolicy p = policy(spec(d, "internal"), spec(d, "peers"), "");
    try {
      assertHostListsDecide(p);
      d.stop();
      // a client whose answers are not cached yet: the server must be asked, and cannot answer
      assertThat(run(p, "192.0.2.99", Map.of(), message("alice@example.com"), BODY))
          .containsExactly(new MilterReply.Tempfail());
    } finally {
      p.close();
    }
  }

  @Test
  void slapdHostListsAndSlapdStoppedMidRun() throws Exception {
    Slapd slapd = Slapd.start();
    try (Directory d =
        new Directory() {
          @Override
          public String url() {
            return slapd.url();
          }

          @Override
          public LDAPConnection connect() throws Exception {
            return slapd.connect(); // bound as the root DN
          }

          @Override
          public void stop() {
            slapd.stop();
          }

          @Override
          public void close() {
            slapd.close();
          }
        }) {
      ldapHostLists(d);
    }
  }

  @Test
  void inMemoryLdapHostListsAndServerStoppedMidRun() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(SUFFIX);
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig(
            "ldap", InetAddress.getByName("127.0.0.1"), 0, null));
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.add("dn: " + SUFFIX, "objectClass: top", "objectClass: domain", "dc: example");
    server.startListening();
    try (Directory d =
        new Directory() {
          @Override
          public String url() {
            return "ldap://127.0.0.1:" + server.getListenPort();
          }

          @Override
          public LDAPConnection connect() throws Exception {
            return server.getConnection();
          }

          @Override
          public void stop() {
            server.shutDown(true);
          }

          @Override
          public void close() {
            server.shutDown(true);
          }
        }) {
      ldapHostLists(d);
    }
  }
}
