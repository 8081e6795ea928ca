package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.MemcachedProcess;
import io.inkan.runtime.admin.AdminHttp;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Slapd;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No secret reaches any output: {@code inkan serve} in its own JVM at DEBUG, with an LDAP
 * SigningTable bound with {@code LDAPBindPassword} (slapd), an SQL KeyTable whose DSN holds a
 * password (MariaDB), a memcached query cache under {@code QueryCacheSecretFile} and an admin
 * endpoint under {@code AdminTokenFile}, signs, verifies, answers the admin endpoint with and
 * without the token and reloads; then runs with a wrong bind password and a wrong SQL password
 * (SoftStart, so lookups fail while serving) and with a wrong bind password without SoftStart
 * (start-up fails). Its stdout and stderr hold none of the passwords, the cache secret, the admin
 * token, nor the private key's PEM, base64 or DER bytes.
 */
class SecretsNotLoggedTest {
  @TempDir Path dir;

  @Test
  void noSecretInAnyOutputOfADaemonAtDebug() throws Exception {
    Slapd.require();
    MemcachedProcess.requireInstalled();
    ServeMetricsTest.requireMariaDb();
    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("SQL password", random("sqlpw"));
    secrets.put("wrong SQL password", random("badsql"));
    secrets.put("LDAP bind password", random("bindpw"));
    secrets.put("wrong LDAP bind password", random("badbind"));
    secrets.put("cache secret", random("cachesecret") + random("more"));
    secrets.put("admin token", random("admintoken"));
    Path key = ServeMetricsTest.key(dir);
    String pem = Files.readString(key);
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    String user = "inkan_sec_" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    String table = user + "_keys";
    ServeMetricsTest.mariaDb(
        "CREATE USER '"
            + user
            + "'@'127.0.0.1' IDENTIFIED BY '"
            + secrets.get("SQL password")
            + "'",
        "CREATE TABLE test." + table + " (id VARCHAR(64), d VARCHAR(64), s VARCHAR(64), k TEXT)",
        "INSERT INTO test." + table + " VALUES ('k1', 'example.com', 'sel', '" + key + "')",
        "GRANT SELECT ON test." + table + " TO '" + user + "'@'127.0.0.1'");
    List<Path> outputs = new ArrayList<>();
    try (Slapd slapd = Slapd.builder().rootPassword(secrets.get("LDAP bind password")).start();
        MemcachedProcess memcached = MemcachedProcess.start()) {
      slapd.add(
          "dn: ou=signing,"
              + slapd.suffix()
              + "\nobjectClass: organizationalUnit\nou: signing\n\n"
              + "dn: cn=example.com,ou=signing,"
              + slapd.suffix()
              + "\nobjectClass: device\ncn: example.com\ndescription: k1\n");
      Path cacheSecret = privateFile("cache.secret", secrets.get("cache secret"));
      Path token = privateFile("admin.token", secrets.get("admin token"));
      Path testKeys =
          Files.writeString(
              dir.resolve("dns"),
              "sel._domainkey.example.com v=DKIM1; p=" + ServeMetricsTest.publicKey(key) + "\n");
      Path socket = dir.resolve("inkan.sock");
      int admin = ServeMetricsTest.freePort();
      String common =
          "Mode sv\nSocket local:"
              + socket
              + "\nSigningTable "
              + slapd.url()
              + "/ou=signing,"
              + slapd.suffix()
              + "?description?one?(cn=$d)\nLDAPBindUser "
              + slapd.rootDn()
              + "\nLDAPTimeout 2\nTestPublicKeys "
              + testKeys
              + "\nQueryCache yes\nQueryCacheBackend memcache:127.0.0.1:"
              + memcached.port()
              + "\nQueryCacheSecretFile "
              + cacheSecret
              + "\nAdminListen 127.0.0.1:"
              + admin
              + "\nAdminTokenFile "
              + token
              + "\nLogWhy yes\nLogResults yes\nSyslogSuccess yes\n";

      // 1. everything right: sign, verify, the admin endpoint with and without the token, reload
      Path good =
          Files.writeString(
              dir.resolve("good.conf"),
              common
                  + keyTable(user, secrets.get("SQL password"), table)
                  + "LDAPBindPassword "
                  + secrets.get("LDAP bind password")
                  + "\n");
      Process daemon = start(good, "good", outputs);
      try {
        String signed = ServeMetricsTest.sign(socket, ServeMetricsTest.MESSAGE);
        assertThat(signed).as(read(outputs)).isNotNull();
        ServeMetricsTest.verify(socket, signed);
        ServeMetricsTest.verify(socket, signed);
        AdminHttp http = AdminHttp.http(admin);
        assertThat(http.get("/metrics").statusCode()).isEqualTo(401);
        assertThat(http.get("/metrics", "Authorization", "Bearer wrong-token-0123456789ab"))
            .extracting(r -> r.statusCode())
            .isEqualTo(401);
        assertThat(
                http.get("/metrics", "Authorization", "Bearer " + secrets.get("admin token"))
                    .statusCode())
            .isEqualTo(200);
        for (String given : List.of("wrong-token-0123456789ab", secrets.get("admin token"))) {
          http.send(
              HttpRequest.newBuilder(URI.create(http.base() + "/login"))
                  .header("Content-Type", "application/x-www-form-urlencoded")
                  .POST(HttpRequest.BodyPublishers.ofString("token=" + given))
                  .build());
        }
        Slapd.run(List.of("/bin/sh", "-c", "kill -USR1 " + daemon.pid()));
        Thread.sleep(2000);
        assertThat(ServeMetricsTest.sign(socket, ServeMetricsTest.MESSAGE)).isNotNull();
      } finally {
        stop(daemon);
      }

      // 2. wrong passwords with SoftStart: it serves, and every lookup fails
      String wrong =
          common
              + keyTable(user, secrets.get("wrong SQL password"), table)
              + "LDAPBindPassword "
              + secrets.get("wrong LDAP bind password")
              + "\n";
      Path soft = Files.writeString(dir.resolve("soft.conf"), wrong + "SoftStart yes\n");
      daemon = start(soft, "soft", outputs);
      try {
        assertThat(ServeMetricsTest.sign(socket, ServeMetricsTest.MESSAGE)).isNull();
        assertThat(ServeMetricsTest.sign(socket, ServeMetricsTest.MESSAGE.replace("joe@", "kim@")))
            .isNull();
      } finally {
        stop(daemon);
      }

      // 3. the wrong bind password without SoftStart: start-up fails, naming what failed
      Path hard =
          Files.writeString(
              dir.resolve("hard.conf"),
              common
                  + keyTable(user, secrets.get("SQL password"), table)
                  + "LDAPBindPassword "
                  + secrets.get("wrong LDAP bind password")
                  + "\n");
      Process failing = start(hard, "hard", outputs);
      assertThat(failing.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(failing.exitValue()).isNotZero();
    } finally {
      ServeMetricsTest.mariaDb(
          "DROP TABLE IF EXISTS test." + table, "DROP USER IF EXISTS '" + user + "'@'127.0.0.1'");
    }

    String all = read(outputs);
    assertThat(all)
        .as("the runs logged at DEBUG, signed, and logged their failures")
        .contains("DEBUG")
        .contains("DKIM-Signature field added")
        .containsIgnoringCase("ldap")
        .contains(table);
    assertThat(read(outputs.subList(2, 4)))
        .contains("Access denied")
        .contains("invalid credentials");
    assertThat(read(outputs.subList(4, 6))).contains("cannot connect and bind");
    for (Path out : outputs) {
      String text = Files.readString(out, StandardCharsets.ISO_8859_1);
      secrets.forEach(
          (what, secret) ->
              assertThat(text).as("%s in %s", what, out.getFileName()).doesNotContain(secret));
      assertNoKey(text, out, base64);
    }
  }

  private static String keyTable(String user, String password, String table) {
    return "KeyTable dsn:mysql://"
        + user
        + ":"
        + password
        + "@3306+127.0.0.1/test/table="
        + table
        + "?keycol=id?datacol=d,s,k\n";
  }

  private static String random(String prefix) {
    byte[] b = new byte[12];
    ThreadLocalRandom.current().nextBytes(b);
    return prefix + HexFormat.of().formatHex(b);
  }

  private Path privateFile(String name, String text) throws Exception {
    Path f = Files.writeString(dir.resolve(name), text + "\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  /**
   * {@code inkan serve -x conf} in its own JVM at DEBUG, stdout and stderr each in a file added to
   * {@code outputs}; waits until the socket accepts, or the process ends.
   */
  private Process start(Path conf, String name, List<Path> outputs) throws Exception {
    Path out = dir.resolve(name + ".stdout");
    Path err = dir.resolve(name + ".stderr");
    outputs.add(out);
    outputs.add(err);
    ProcessBuilder pb =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                InkanMain.class.getName(),
                "serve",
                "-x",
                conf.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().put("INKAN_LOG_LEVEL", "DEBUG");
    Files.deleteIfExists(dir.resolve("inkan.sock"));
    Process p = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.isAlive() && System.nanoTime() < deadline) {
      if (MtaSimulator.accepts(dir.resolve("inkan.sock"))) {
        return p;
      }
      Thread.sleep(100);
    }
    return p;
  }

  private static void stop(Process p) throws Exception {
    p.destroy(); // SIGTERM: in-flight messages finish, then it exits
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static String read(List<Path> outputs) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (Path p : outputs) {
      if (Files.exists(p)) {
        sb.append(Files.readString(p, StandardCharsets.ISO_8859_1));
      }
    }
    return sb.toString();
  }

  /** No PEM armour, no 24-character run of the key's base64, no run of its DER bytes. */
  private static void assertNoKey(String text, Path out, String base64) {
    assertThat(text).as(out.toString()).doesNotContain("-----BEGIN").doesNotContain("-----END");
    for (int i = 0; i + 24 <= base64.length(); i += 12) {
      assertThat(text).as(out.toString()).doesNotContain(base64.substring(i, i + 24));
    }
    byte[] der = Base64.getDecoder().decode(base64);
    String latin1 = new String(der, StandardCharsets.ISO_8859_1);
    for (int i = 64; i + 16 <= latin1.length(); i += 64) {
      assertThat(text).as(out.toString()).doesNotContain(latin1.substring(i, i + 16));
    }
  }
}
