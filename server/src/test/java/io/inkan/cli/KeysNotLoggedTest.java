package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.inkan.testing.MtaSimulator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Private keys never reach the logs: a daemon at DEBUG signs, verifies, fails on a key it cannot
 * use and reloads, and no line (or stack trace) holds a key's PEM, base64 or DER bytes, or the SQL
 * password of its configuration.
 */
class KeysNotLoggedTest {
  @TempDir Path dir;

  @Test
  void noKeyMaterialOrPasswordInDebugLogs() throws Exception {
    Path key = dir.resolve("rsa.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String pem = Files.readString(key);
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    Path bad =
        Files.writeString(
            dir.resolve("bad.private"),
            "-----BEGIN PRIVATE KEY-----\n"
                + base64.substring(0, 200)
                + "\n-----END PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(
        dir.resolve("keys"),
        "good example.com:sel:" + key + "\ninline example.net:sel:" + base64 + "\n");
    Files.writeString(dir.resolve("signing"), "example.com good\nexample.net inline\n");
    Path socket = dir.resolve("inkan.sock");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Socket local:"
                + socket
                + "\nKeyTable file:"
                + dir.resolve("keys")
                + "\nSigningTable file:"
                + dir.resolve("signing")
                + "\nLogWhy yes\nLogResults yes\nSyslogSuccess yes\n");

    Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    Level level = root.getLevel();
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    root.addAppender(log);
    root.setLevel(Level.DEBUG);
    try (InkanTestServer server = InkanTestServer.start(conf)) {
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        mta.message("From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n");
        mta.message("From: a@example.net\r\nSubject: x\r\n\r\nbody\r\n");
      }
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("198.51.100.7");
        mta.message(
            "From: a@example.org\r\nDKIM-Signature: v=1; a=rsa-sha256; d=example.org;"
                + " s=x; h=from; bh=AAAA; b="
                + base64.substring(0, 64)
                + "\r\n\r\nbody\r\n");
      }
    } finally {
      root.detachAppender(log);
      root.setLevel(level);
    }
    // a configuration whose key does not parse fails to start, without quoting the key
    Files.writeString(dir.resolve("keys"), "good example.com:sel:" + bad + "\n");
    try (InkanTestServer ignored = InkanTestServer.start(conf)) {
      throw new AssertionError("started with a broken key");
    } catch (IllegalStateException expected) {
      lines(expected).forEach(l -> assertNoSecret(l, base64));
    }

    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : log.list) {
      lines.add(e.getFormattedMessage());
      if (e.getThrowableProxy() != null) {
        lines.add(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
    }
    assertThat(lines).isNotEmpty().anyMatch(l -> l.contains("DKIM-Signature field added"));
    for (String l : lines) {
      assertNoSecret(l, base64);
    }
  }

  private static List<String> lines(Throwable t) {
    List<String> out = new ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      out.add(String.valueOf(c.getMessage()));
    }
    return out;
  }

  /** No PEM armour, no 24-character run of the key's base64, no run of its DER bytes. */
  private static void assertNoSecret(String line, String base64) {
    assertThat(line).doesNotContain("-----BEGIN").doesNotContain("-----END");
    for (int i = 0; i + 24 <= base64.length(); i += 12) {
      assertThat(line).doesNotContain(base64.substring(i, i + 24));
    }
    byte[] der = Base64.getDecoder().decode(base64);
    String latin1 = new String(der, java.nio.charset.StandardCharsets.ISO_8859_1);
    for (int i = 64; i + 16 <= latin1.length(); i += 64) {
      assertThat(line).doesNotContain(latin1.substring(i, i + 16));
    }
  }
}
