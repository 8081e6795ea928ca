package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.testing.MtaSimulator;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inkan stats} against a node started in-process with {@code AdminListen 127.0.0.1:0}. */
class StatsCommandTest {
  private static final String MESSAGE =
      "From: Joe <joe@example.com>\r\nTo: ann@example.net\r\nSubject: stats\r\n"
          + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <stats@example.com>\r\n\r\n"
          + "Counted.\r\n";
  private static final byte[] NO_INPUT = new byte[0];

  @TempDir Path dir;
  private InkanTestServer node;

  @AfterEach
  void tearDown() {
    if (node != null) {
      node.close();
    }
  }

  /** A signing node on a unix socket with {@code extra} lines; its admin URL. */
  private String start(String extra) throws Exception {
    node = InkanTestServer.launch(AdminNodes.signingNode(dir, extra));
    return "http://127.0.0.1:" + node.adminPort();
  }

  private void sign() throws Exception {
    try (MtaSimulator mta = new MtaSimulator(dir.resolve("inkan.sock"))) {
      mta.open("127.0.0.1");
      assertThat(mta.message(MESSAGE).get(0).insertedHeader()[0]).isEqualTo("DKIM-Signature");
    }
  }

  @Test
  void summaryShowsTheNodeAndItsCounts() throws Exception {
    String url = start("");
    sign();
    CliRunner.Result r = CliRunner.run(NO_INPUT, "stats", "--url", url);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outText())
        .containsPattern("node +inkan \\S+, up \\d\\dh \\d\\dm \\d\\ds, pid \\d+")
        .containsPattern("crypto +\\S")
        .contains("socket local:" + dir.resolve("inkan.sock") + ", mode ")
        .containsPattern("messages +1: signed 1\n")
        .containsPattern("connections +\\d+ active, 0 protocol errors")
        .containsPattern("ready +yes\n")
        .containsPattern("up +milter");
  }

  @Test
  void jsonIsTheEndpointsOwn() throws Exception {
    String url = start("");
    sign();
    CliRunner.Result r = CliRunner.run(NO_INPUT, "stats", "--url", url, "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject json = new JsonObject(r.outText());
    assertThat(json.getJsonObject("status").getJsonObject("counters").getDouble("messages"))
        .isEqualTo(1.0);
    assertThat(json.getJsonObject("stats").getJsonObject("topDomains")).isNotNull();
  }

  @Test
  void watchRepeats() throws Exception {
    String url = start("");
    CliRunner.Result r =
        CliRunner.run(NO_INPUT, "stats", "--url", url, "--watch", "1", "--count", "2");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outText().split("--- " + url, -1)).hasSize(3);
    assertThat(r.outText()).containsPattern("messages +0\n");
  }

  @Test
  void tokenIsSentAndAWrongOneIsRefused() throws Exception {
    Path token = dir.resolve("admin.token");
    Files.writeString(token, "s3cret-token-for-the-admin-endpoint\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
    String url = start("AdminTokenFile " + token + "\n");

    CliRunner.Result none = CliRunner.run(NO_INPUT, "stats", "--url", url);
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("401 unauthorized").contains("--token-file");
    assertThat(none.outText()).isEmpty();

    Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-it\n");
    CliRunner.Result bad =
        CliRunner.run(NO_INPUT, "stats", "--url", url, "--token-file", "" + wrong);
    assertThat(bad.exit()).isEqualTo(1);
    assertThat(bad.err()).contains("401 unauthorized: the node rejected the token in " + wrong);

    CliRunner.Result ok =
        CliRunner.run(NO_INPUT, "stats", "--url", url, "--token-file", "" + token);
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.outText()).containsPattern("messages +0");
    assertThat(ok.outText() + ok.err()).doesNotContain("s3cret");
  }

  @Test
  void unreachableNodeExitsOne() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // free once closed
    }
    CliRunner.Result r = CliRunner.run(NO_INPUT, "stats", "--url", "http://127.0.0.1:" + port);
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("inkan stats: http://127.0.0.1:" + port + ": cannot connect");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(CliRunner.run(NO_INPUT, "stats", "--url", "ftp://x").exit()).isEqualTo(2);
    assertThat(CliRunner.run(NO_INPUT, "stats", "--watch", "0").exit()).isEqualTo(2);
    CliRunner.Result r =
        CliRunner.run(NO_INPUT, "stats", "--token-file", dir.resolve("missing").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--token-file");
  }
}
