package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.runtime.admin.AdminHttp;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code KeyHealthInterval} in a real start: a key whose published record is another key's shows as
 * not ok on {@code /metrics} within seconds, the matching one as ok, and a reload that fixes the
 * record turns it ok.
 */
class KeyHealthServeTest {
  @TempDir Path dir;
  private InkanTestServer node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
  }

  private Path key(String resource, String name) throws Exception {
    Path key = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    return key;
  }

  private static String publicHalf(Path key) throws Exception {
    return PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
  }

  private Path conf(Path dnsData) throws Exception {
    Path key = dir.resolve("sel.private");
    Files.writeString(
        dir.resolve("keytable"),
        "k1 example.com:sel:" + key + "\nk2 example.org:sel:" + key + "\n");
    Files.writeString(dir.resolve("signingtable"), "example.com k1\nexample.org k2\n");
    return Files.writeString(
        dir.resolve("inkan.conf"),
        "Mode sv\nSocket local:"
            + dir.resolve("inkan.sock")
            + "\nKeyTable "
            + dir.resolve("keytable")
            + "\nSigningTable "
            + dir.resolve("signingtable")
            + "\nTestDNSData file:"
            + dnsData
            + "\nAdminListen 127.0.0.1:0\nKeyHealthInterval 1\n");
  }

  private static String awaitMetrics(AdminHttp http, String wanted) throws Exception {
    String metrics = "";
    for (int i = 0; i < 100 && !metrics.contains(wanted); i++) {
      Thread.sleep(100);
      metrics = http.get("/metrics").body();
    }
    return metrics;
  }

  @Test
  void aRecordThatDoesNotMatchShowsAsNotOk() throws Exception {
    Path key = key("/keys/rsa2048.private", "sel.private");
    Path other = key("/keys/rfc8463-rsa.private", "other.private");
    Path dns =
        Files.writeString(
            dir.resolve("dns"),
            "sel._domainkey.example.com v=DKIM1; p="
                + publicHalf(key)
                + "\nsel._domainkey.example.org v=DKIM1; p="
                + publicHalf(other)
                + "\n");
    node = InkanTestServer.launch(conf(dns));
    AdminHttp http = AdminHttp.http(node.adminPort());

    String bad = "inkan_key_record_ok{domain=\"example.org\",selector=\"sel\"} 0.0";
    String metrics = awaitMetrics(http, bad);
    assertThat(metrics)
        .contains(bad)
        .contains("inkan_key_record_ok{domain=\"example.com\",selector=\"sel\"} 1.0")
        .contains("inkan_key_checks_total{result=\"mismatch\"}")
        .contains("inkan_key_checks_total{result=\"ok\"}")
        .contains("inkan_key_health_keys 2.0")
        .contains("inkan_key_check_last_seconds");

    Files.writeString(
        dns,
        "sel._domainkey.example.com v=DKIM1; p="
            + publicHalf(key)
            + "\nsel._domainkey.example.org v=DKIM1; p="
            + publicHalf(key)
            + "\n");
    node.runtime().reload(ServeCommand.load(dir.resolve("inkan.conf")));
    String good = "inkan_key_record_ok{domain=\"example.org\",selector=\"sel\"} 1.0";
    assertThat(awaitMetrics(http, good)).contains(good);
  }
}
