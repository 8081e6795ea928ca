package io.inkan.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.bench.BenchCommand;
import io.inkan.cli.InkanTestServer;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code inkan bench} against a real Inkan milter on a unix socket. */
class BenchCommandTest {
  private static final String MESSAGE =
      "From: Joe <joe@example.com>\nTo: ann@example.net\nSubject: load\n"
          + "Date: Sat, 28 Nov 2026 10:00:00 +0000\nMessage-ID: <bench@example.com>\n\n"
          + "Hello through the milter.\n".repeat(100);

  @TempDir Path dir;
  private InkanTestServer server;
  private Path socket;
  private Path message;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("sel.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    socket = dir.resolve("inkan.sock");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Mode s\nSocket local:"
                + socket
                + "\nDomain example.com\nSelector sel\nKeyFile "
                + key
                + "\nCanonicalization relaxed/simple\n");
    server = InkanTestServer.start(conf);
    message = Files.writeString(dir.resolve("message.eml"), MESSAGE);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private int bench(String... args) {
    CommandLine cmd = new CommandLine(new BenchCommand());
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return cmd.execute(args);
  }

  private long number(String regex) {
    Matcher m = Pattern.compile(regex).matcher(out.toString());
    assertThat(m.find()).as("%s in%n%s", regex, out).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void twoConnectionsOfFiftyMessagesAreAllSigned() {
    int status =
        bench(
            "--socket",
            "local:" + socket,
            "--conns",
            "2",
            "--messages",
            "50",
            "--message",
            message.toString());

    assertThat(status).as("%s%s", out, err).isZero();
    assertThat(number("(?m)^messages: (\\d+)$")).isEqualTo(100);
    assertThat(number("DKIM-Signature=(\\d+)")).isEqualTo(100);
    long verdicts = number("accept=(\\d+)") + number("continue=(\\d+)");
    assertThat(verdicts).isEqualTo(100);
    assertThat(number("none=(\\d+)")).isZero();
    assertThat(out.toString())
        .containsPattern("messages/s: \\d+\\.\\d")
        .containsPattern("latency_ms: p50=\\d+\\.\\d{3} p99=\\d+\\.\\d{3} max=\\d+\\.\\d{3}");
  }

  @Test
  void durationModeRunsUntilTheTimeIsUp() {
    int status =
        bench(
            "--socket",
            socket.toString(),
            "--conns",
            "3",
            "--duration",
            "1",
            "--message",
            message.toString(),
            "--domains",
            "4");

    assertThat(status).as("%s%s", out, err).isZero();
    long messages = number("(?m)^messages: (\\d+)$");
    assertThat(messages).isPositive();
    assertThat(number("none=(\\d+)")).isZero();
    assertThat(Double.parseDouble(out.toString().replaceAll("(?s).*seconds: ([0-9.]+).*", "$1")))
        .isBetween(0.9, 5.0);
  }

  @Test
  void authenticatedExternalSendersAreSigned() {
    int status =
        bench(
            "--socket",
            "unix:" + socket,
            "--messages",
            "5",
            "--message",
            message.toString(),
            "--client-ip",
            "198.51.100.7",
            "--auth",
            "joe");

    assertThat(status).as("%s%s", out, err).isZero();
    assertThat(number("DKIM-Signature=(\\d+)")).isEqualTo(5);
  }

  @Test
  void aBadSocketSpecIsAUsageError() {
    assertThat(bench("--socket", "tcp:25", "--messages", "1", "--message", message.toString()))
        .isEqualTo(2);
    assertThat(bench("--socket", "inet:99999@127.0.0.1", "--messages", "1", "--message", "x"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--socket");
  }

  @Test
  void messagesAndDurationAreExclusive() {
    assertThat(
            bench(
                "--socket",
                "local:" + socket,
                "--messages",
                "1",
                "--duration",
                "1",
                "--message",
                message.toString()))
        .isEqualTo(2);
  }

  @Test
  void aDeadSocketMeansNoVerdicts() {
    int status =
        bench(
            "--socket",
            "local:" + dir.resolve("nobody.sock"),
            "--conns",
            "2",
            "--messages",
            "3",
            "--message",
            message.toString());

    assertThat(status).isEqualTo(1);
    assertThat(number("none=(\\d+)")).isEqualTo(6);
  }
}
