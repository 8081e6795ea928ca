package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.MemcachedProcess;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.testing.AuthoritativeDns;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Prerequisites;
import io.inkan.testing.Slapd;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.MemcachedClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's DNS, query-cache and data-set meters move with real lookups: key records from Knot
 * DNS through the in-process and memcached layers (a garbled memcached value counted as rejected, a
 * stopped name server as a timeout, the counters kept across a reload), and a SigningTable in slapd
 * and a KeyTable in MariaDB (lookups, cache hits, and the LDAP server's up gauge going to 0 when it
 * stops and back to 1 when it returns).
 */
class ServeMetricsTest {
  static final String MESSAGE =
      "From: Joe <joe@example.com>\r\nTo: ann@example.net\r\nSubject: meters\r\n"
          + "Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <meters@example.com>\r\n\r\n"
          + "Counted.\r\n";

  @TempDir Path dir;

  @Test
  void dnsAndQueryCacheMetersMoveAndSurviveAReload() throws Exception {
    AuthoritativeDns.require();
    MemcachedProcess.requireInstalled();
    Path key = key(dir);
    String record = "v=DKIM1; k=rsa; p=" + publicKey(key);
    try (AuthoritativeDns dns =
            AuthoritativeDns.start(
                Map.of("example.com", "sel._domainkey 300 TXT " + quoted(record)));
        MemcachedProcess memcached = MemcachedProcess.start()) {
      Path secret = Files.writeString(dir.resolve("secret"), "s".repeat(48) + "\n");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
      int admin = freePort();
      Path socket = dir.resolve("inkan.sock");
      Path conf =
          Files.writeString(
              dir.resolve("inkan.conf"),
              "Mode sv\nSocket local:"
                  + socket
                  + "\nDomain example.com\nSelector sel\nKeyFile "
                  + key
                  + "\nNameservers 127.0.0.1:"
                  + dns.port()
                  + "\nDNSTimeout 1\nMilterMessageDeadline 3\nQueryCache yes\n"
                  + "QueryCacheBackend memcache:127.0.0.1:"
                  + memcached.port()
                  + "\nQueryCacheTimeout 2000\nQueryCacheSecretFile "
                  + secret
                  + "\nAdminListen 127.0.0.1:"
                  + admin
                  + "\n");
      try (InkanTestServer server = InkanTestServer.start(conf)) {
        String signed = sign(socket, MESSAGE);
        verify(socket, signed);
        verify(socket, signed);
        MetricsText m = MetricsText.scrape(admin);
        assertThat(m.value("inkan_dns_queries_total")).isEqualTo(1);
        assertThat(m.value("inkan_dns_answers_total", "outcome", "found")).isEqualTo(1);
        assertThat(m.value("inkan_dns_duration_seconds_count")).isEqualTo(1);
        assertThat(requests(m, "in-process", "miss")).isEqualTo(1);
        assertThat(requests(m, "in-process", "hit")).isEqualTo(1);
        assertThat(requests(m, "memcached", "miss")).isEqualTo(1);
        assertThat(m.value("inkan_querycache_entries", "layer", "in-process")).isEqualTo(1);

        // a garbled value in memcached is rejected, the name then asked of DNS: NXDOMAIN
        MemcachedClient raw = new MemcachedClient(memcached.address());
        try {
          raw.set(
                  "inkan:nx._domainkey.example.com",
                  300,
                  "garbled".getBytes(StandardCharsets.UTF_8))
              .get(2, TimeUnit.SECONDS);
        } finally {
          raw.shutdown();
        }
        verify(socket, signed.replace("s=sel;", "s=nx;"));
        // a stopped name server: the lookup times out
        dns.pause();
        try {
          verify(socket, signed.replace("s=sel;", "s=slow;"));
        } finally {
          dns.resume();
        }
        m = MetricsText.scrape(admin);
        assertThat(
                m.value(
                    "inkan_querycache_rejected_total", "layer", "memcached", "reason", "invalid"))
            .isEqualTo(1);
        assertThat(m.value("inkan_dns_answers_total", "outcome", "nxdomain")).isEqualTo(1);
        assertThat(m.value("inkan_dns_answers_total", "outcome", "timeout")).isEqualTo(1);
        assertThat(m.value("inkan_dns_queries_total")).isEqualTo(3);
        assertThat(m.value("inkan_dns_answers_total", "outcome", "servfail")).isZero();
        assertThat(requests(m, "in-process", "miss")).isEqualTo(3);
        assertThat(m.value("inkan_querycache_errors_total", "layer", "in-process")).isZero();

        // a reload builds a new chain: nothing counted goes back, and the new chain adds to it
        server.runtime().reload(ServeCommand.load(conf));
        MetricsText reloaded = MetricsText.scrape(admin);
        for (String layer : List.of("in-process", "memcached")) {
          for (String result : List.of("hit", "miss", "expired")) {
            assertThat(requests(reloaded, layer, result))
                .as("%s %s after the reload", layer, result)
                .isEqualTo(requests(m, layer, result));
          }
        }
        verify(socket, signed); // in-process miss (a new, empty layer), memcached hit
        Thread.sleep(9000); // the old policy (and chain) closes 5 s after MilterMessageDeadline
        MetricsText later = MetricsText.scrape(admin);
        assertThat(requests(later, "in-process", "miss")).isEqualTo(4);
        assertThat(requests(later, "in-process", "hit")).isEqualTo(1);
        assertThat(requests(later, "memcached", "hit")).isEqualTo(1);
        assertThat(later.value("inkan_querycache_entries", "layer", "in-process")).isEqualTo(1);
        assertThat(later.value("inkan_dns_queries_total")).isEqualTo(3);
        assertThat(later.body()).doesNotContain("s".repeat(32));
      }
    }
  }

  @Test
  void dataSetMetersCountSqlAndLdapLookupsAndTheLdapServersHealth() throws Exception {
    Slapd.require();
    Path key = key(dir);
    String user = "inkan_met_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    String password = "sql-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    String table = user + "_keys";
    requireMariaDb();
    mariaDb(
        "CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'",
        "CREATE TABLE test." + table + " (id VARCHAR(64), d VARCHAR(64), s VARCHAR(64), k TEXT)",
        "INSERT INTO test." + table + " VALUES ('k1', 'example.com', 'sel', '" + key + "')",
        "GRANT SELECT ON test." + table + " TO '" + user + "'@'127.0.0.1'");
    try (Slapd slapd = Slapd.builder().rootPassword("bind-" + password).start()) {
      slapd.add(
          "dn: ou=signing,"
              + slapd.suffix()
              + "\nobjectClass: organizationalUnit\nou: signing\n\n"
              + "dn: cn=example.com,ou=signing,"
              + slapd.suffix()
              + "\nobjectClass: device\ncn: example.com\ndescription: k1\n");
      int admin = freePort();
      Path socket = dir.resolve("inkan.sock");
      Path conf =
          Files.writeString(
              dir.resolve("inkan.conf"),
              "Mode s\nSocket local:"
                  + socket
                  + "\nKeyTable dsn:mysql://"
                  + user
                  + ":"
                  + password
                  + "@3306+127.0.0.1/test/table="
                  + table
                  + "?keycol=id?datacol=d,s,k\n"
                  + "SigningTable "
                  + slapd.url()
                  + "/ou=signing,"
                  + slapd.suffix()
                  + "?description?one?(cn=$d)\nLDAPBindUser "
                  + slapd.rootDn()
                  + "\nLDAPBindPassword "
                  + slapd.rootPassword()
                  + "\nLDAPTimeout 2\nAdminListen 127.0.0.1:"
                  + admin
                  + "\n");
      try (InkanTestServer server = InkanTestServer.start(conf)) {
        MetricsText m = MetricsText.scrape(admin);
        assertThat(m.value("inkan_dataset_up", "kind", "ldap")).isEqualTo(1);
        assertThat(m.value("inkan_dataset_up", "kind", "dsn")).isEqualTo(1);
        assertThat(m.value("inkan_dataset_lookups_total", "kind", "ldap")).isZero();
        sign(socket, MESSAGE);
        sign(socket, MESSAGE);
        m = MetricsText.scrape(admin);
        double ldapHits = lookups(m, "ldap", "hit");
        assertThat(ldapHits).isEqualTo(2); // example.com, once per message
        assertThat(lookups(m, "ldap", "miss")).isPositive(); // joe@example.com first
        assertThat(lookups(m, "dsn", "hit")).isEqualTo(2); // k1, once per message
        assertThat(lookups(m, "ldap", "error")).isZero();
        double ldapMisses = cache(m, "ldap", "miss");
        assertThat(cache(m, "ldap", "hit")).isEqualTo(ldapMisses); // the second message: all kept
        assertThat(cache(m, "dsn", "miss")).isEqualTo(1);
        assertThat(cache(m, "dsn", "hit")).isEqualTo(1);
        assertThat(m.body()).doesNotContain(password);
        assertThat(m.body())
            .as("the name shows the DSN with its password masked")
            .contains("name=\"dsn:mysql://" + user + ":****@3306+127.0.0.1/test/table=" + table);

        slapd.stop();
        assertThat(sign(socket, MESSAGE.replace("joe@example.com", "kim@example.org")))
            .as("a SigningTable that cannot answer")
            .isNull();
        m = MetricsText.scrape(admin);
        assertThat(m.value("inkan_dataset_up", "kind", "ldap")).isZero();
        assertThat(lookups(m, "ldap", "error")).isEqualTo(1);
        slapd.restart();
        sign(socket, MESSAGE.replace("joe@example.com", "lee@example.com"));
        m = MetricsText.scrape(admin);
        assertThat(m.value("inkan_dataset_up", "kind", "ldap")).isEqualTo(1);
      }
    } finally {
      mariaDb(
          "DROP TABLE IF EXISTS test." + table, "DROP USER IF EXISTS '" + user + "'@'127.0.0.1'");
    }
  }

  private static double requests(MetricsText m, String layer, String result) {
    return m.value("inkan_querycache_requests_total", "layer", layer, "result", result);
  }

  private static double lookups(MetricsText m, String kind, String result) {
    return m.value("inkan_dataset_lookups_total", "kind", kind, "result", result);
  }

  private static double cache(MetricsText m, String kind, String result) {
    return m.value("inkan_dataset_cache_requests_total", "kind", kind, "result", result);
  }

  /** The test RSA key as a private file in {@code dir}. */
  static Path key(Path dir) throws Exception {
    Path key = dir.resolve("sel.private");
    try (InputStream in = ServeMetricsTest.class.getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return key;
  }

  static String publicKey(Path key) throws Exception {
    return PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
  }

  /** A TXT record's text as zone-file strings of at most 255 characters. */
  static String quoted(String text) {
    StringBuilder out = new StringBuilder("(");
    for (int i = 0; i < text.length(); i += 255) {
      out.append(" \"").append(text, i, Math.min(text.length(), i + 255)).append('"');
    }
    return out.append(" )").toString();
  }

  static int freePort() throws Exception {
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return free.getLocalPort();
    }
  }

  /** The message with the signature Inkan adds from 127.0.0.1; null when it adds none. */
  static String sign(Path socket, String message) throws Exception {
    try (MtaSimulator mta = new MtaSimulator(socket)) {
      mta.open("127.0.0.1");
      for (MtaSimulator.Reply r : mta.message(message)) {
        if (r.command() == 'i' || r.command() == 'h') {
          String[] field = r.header();
          if (field[0].equals("DKIM-Signature")) {
            return field[0] + ": " + field[1] + "\r\n" + message;
          }
        }
      }
      return null;
    }
  }

  /** Sends {@code message} from outside, so that it is verified. */
  static void verify(Path socket, String message) throws Exception {
    try (MtaSimulator mta = new MtaSimulator(socket)) {
      mta.open("192.0.2.7");
      mta.message(message);
    }
  }

  static void requireMariaDb() {
    boolean ok;
    try (Connection c = mariaDbConnection()) {
      ok = c.isValid(2);
    } catch (SQLException e) {
      ok = false;
    }
    Prerequisites.require(
        ok, "MariaDB on 127.0.0.1:3306, database test (Debian package mariadb-server)");
  }

  static void mariaDb(String... statements) throws SQLException {
    try (Connection c = mariaDbConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  private static Connection mariaDbConnection() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=2000", "root", "");
  }
}
