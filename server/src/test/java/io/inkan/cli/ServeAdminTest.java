package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.runtime.admin.AdminHttp;
import io.inkan.testing.MtaSimulator;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inkan serve} with {@code AdminListen}: the admin endpoint of a real start shows the
 * messages the milter handled, flips readiness with the listener, and keeps secrets out.
 */
class ServeAdminTest {
  private static final String MESSAGE =
      "From: Joe <joe@example.com>\r\nTo: ann@example.net\r\nSubject: admin\r\n"
          + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <admin@example.com>\r\n\r\n"
          + "Counted.\r\n";

  @TempDir Path dir;
  private InkanTestServer node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
  }

  /** A signing configuration on a unix socket with {@code extra} lines; started. */
  private AdminHttp start(String extra) throws Exception {
    node = InkanTestServer.launch(AdminNodes.signingNode(dir, extra));
    return AdminHttp.http(node.adminPort());
  }

  @Test
  void metricsCountTheMessagesTheMilterHandled() throws Exception {
    AdminHttp http = start("");
    try (MtaSimulator mta = new MtaSimulator(dir.resolve("inkan.sock"))) {
      mta.open("127.0.0.1");
      assertThat(mta.message(MESSAGE).get(0).insertedHeader()[0]).isEqualTo("DKIM-Signature");
    }
    HttpResponse<String> r = http.get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("inkan_messages_total{action=\"continue\",mode=\"sign\",result=\"signed\"} 1")
        .contains("inkan_sign_duration_seconds_count 1")
        .contains("inkan_milter_eom_duration_seconds_bucket{outcome=\"answered\"")
        .contains("inkan_milter_stage_duration_seconds_count{stage=\"header\"}")
        .contains("inkan_milter_connections_total 1")
        .contains("inkan_milter_connections_active")
        .contains("inkan_milter_protocol_errors_total{kind=\"protocol\"} 0")
        .contains("inkan_domain_signatures{domain=\"example.com\",mode=\"sign\"} 1")
        .contains("inkan_domain_signatures{domain=\"other\",mode=\"sign\"} 0")
        .contains("jvm_memory_used_bytes")
        .contains("jvm_gc_")
        .contains("jvm_threads_live_threads")
        .contains("process_uptime_seconds")
        .contains("system_cpu_count");
    JsonObject status = new JsonObject(http.get("/api/status").body());
    assertThat(status.getJsonObject("counters").getDouble("messages")).isEqualTo(1.0);
    assertThat(status.getJsonObject("counters").getJsonObject("byResult").getDouble("signed"))
        .isEqualTo(1.0);
  }

  @Test
  void malformedFramesCountAsProtocolErrors() throws Exception {
    AdminHttp http = start("");
    try (SocketChannel c =
        SocketChannel.open(UnixDomainSocketAddress.of(dir.resolve("inkan.sock")))) {
      c.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 0})); // frame length 0
      ByteBuffer rest = ByteBuffer.allocate(64);
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (c.read(rest) >= 0 && System.nanoTime() < deadline) {
        rest.clear(); // until Inkan closes the connection
      }
    }
    String metrics = "";
    for (int i = 0; i < 50 && !metrics.contains("kind=\"protocol\"} 1"); i++) {
      Thread.sleep(100);
      metrics = http.get("/metrics").body();
    }
    assertThat(metrics).contains("inkan_milter_protocol_errors_total{kind=\"protocol\"} 1");
    assertThat(metrics)
        .contains("inkan_milter_stage_duration_seconds_count{stage=\"malformed\"} 1");
  }

  @Test
  void readinessFollowsTheMilterListener() throws Exception {
    AdminHttp http = start("");
    HttpResponse<String> ready = http.get("/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"name\":\"milter\"").contains("\"up\":true");
    node.closeListener();
    Thread.sleep(1100); // probe answers are reused for up to a second
    HttpResponse<String> down = http.get("/health/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.body()).contains("not listening on local:");
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  void statusShowsTheSetUpButNoSecret() throws Exception {
    AdminHttp http =
        start(
            "SoftStart yes\nLDAPBindUser cn=inkan,dc=example,dc=com\nLDAPBindPassword Ld4pPa55w0rd\n"
                + "DontSignMailTo dsn:mysql://inkan:Sq1Pa55w0rd@1+127.0.0.1/dkim/table=nosign"
                + "?keycol=rcpt?datacol=rcpt\n");
    String body = http.get("/api/status").body();
    assertThat(body).doesNotContain("Ld4pPa55w0rd").doesNotContain("Sq1Pa55w0rd");
    JsonObject status = new JsonObject(body);
    assertThat(status.getString("version")).isNotBlank();
    assertThat(status.getLong("uptimeSeconds")).isNotNegative();
    assertThat(status.getString("crypto")).isNotBlank();
    JsonObject config = status.getJsonObject("config");
    assertThat(config.getString("mode")).isEqualTo("sv");
    assertThat(config.getString("socket")).startsWith("local:");
    assertThat(config.getJsonObject("ldap").getString("bindPassword")).isEqualTo("set");
    assertThat(config.getJsonArray("dataSets").encode())
        .contains("\"key\":\"DontSignMailTo\",\"type\":\"dsn\"")
        .contains("dsn:mysql://inkan:****@1+127.0.0.1/dkim/table=nosign")
        .contains("\"key\":\"KeyFile\"");
    assertThat(http.get("/api/stats").body())
        .doesNotContain("Ld4pPa55w0rd")
        .doesNotContain("Sq1Pa55w0rd");
    assertThat(http.get("/metrics").body())
        .doesNotContain("Ld4pPa55w0rd")
        .doesNotContain("Sq1Pa55w0rd");
  }

  @Test
  void anAdminPortInUseStopsStartUpAndClosesTheMilterListener() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> start("AdminListen 127.0.0.1:" + taken.getLocalPort() + "\n"))
          .isInstanceOf(ServeException.class)
          .hasMessageContaining(
              "AdminListen 127.0.0.1:" + taken.getLocalPort() + ": cannot listen");
    }
    assertThat(Files.exists(dir.resolve("inkan.sock"))).isFalse();
  }

  @Test
  void aTokenIsRequiredOffLoopbackAndMustBePrivate() throws Exception {
    assertThatThrownBy(() -> start("AdminListen 0.0.0.0:0\n"))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining("AdminListen: a loopback address, or set AdminTokenFile");
    Path token = Files.writeString(dir.resolve("admin.token"), "0123456789abcdef0123456789\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> start("AdminTokenFile " + token + "\n"))
        .isInstanceOf(ServeException.class)
        .hasMessageContaining("may be read or written by group or others");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    AdminHttp http = start("AdminTokenFile " + token + "\n");
    assertThat(http.get("/metrics").statusCode()).isEqualTo(401);
    assertThat(
            http.get("/metrics", "Authorization", "Bearer 0123456789abcdef0123456789").statusCode())
        .isEqualTo(200);
    assertThat(http.get("/health/live").statusCode()).isEqualTo(200);
  }
}
