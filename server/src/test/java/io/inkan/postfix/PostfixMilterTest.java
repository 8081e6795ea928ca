package io.inkan.postfix;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cli.InkanTestServer;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dns.TestKeysFile;
import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * A real Postfix (a private instance the test starts as root) with Inkan as its {@code
 * smtpd_milters} and {@code non_smtpd_milters}: mail from 127.0.0.1 (InternalHosts) arrives signed
 * and verifies in Inkan's engine and in dkimpy, and so does mail submitted locally with Postfix's
 * {@code sendmail}; mail from 127.0.0.2 (external) is verified, {@code dkim=pass} or {@code
 * dkim=fail} in Authentication-Results; with Inkan gone, Postfix applies {@code
 * milter_default_action = tempfail}.
 */
@Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
class PostfixMilterTest {
  private static final Duration DELIVERY = Duration.ofSeconds(60);
  private static final InetAddress INTERNAL = address(127, 0, 0, 1);
  private static final InetAddress EXTERNAL = address(127, 0, 0, 2);

  private static Path dir;
  private static Path conf;
  private static Path keys;
  private static PostfixInstance postfix;
  private InkanTestServer inkan;

  @BeforeAll
  static void startPostfix() throws Exception {
    Prerequisites.require(
        Files.isExecutable(PostfixInstance.POSTFIX), "Postfix (Debian package postfix)");
    Prerequisites.require(isRoot(), "root (to start a private Postfix instance)");
    // Postfix's smtpd (user postfix) and pipe (user nobody) must reach into it: not a @TempDir.
    dir = Files.createTempDirectory("inkan-postfix-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path milter = Files.createDirectory(dir.resolve("milter"));
    Files.setPosixFilePermissions(milter, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path key = dir.resolve("sel.private");
    try (InputStream in = PostfixMilterTest.class.getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String p = PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
    keys =
        Files.writeString(dir.resolve("dns"), "sel._domainkey.example.com\tv=DKIM1; p=" + p + "\n");
    Path socket = milter.resolve("inkan.sock");
    conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            String.join(
                "\n",
                "Mode sv",
                "Socket local:" + socket,
                "Umask 000",
                "Domain example.com",
                "Selector sel",
                "KeyFile " + key,
                "Canonicalization relaxed/simple",
                "InternalHosts 127.0.0.1",
                "TestPublicKeys " + keys,
                "AuthservID " + PostfixInstance.HOSTNAME,
                "RequireSafeKeys no",
                ""));
    postfix = PostfixInstance.start(dir, socket);
  }

  @AfterAll
  static void stopPostfix() throws IOException {
    try {
      if (postfix != null) {
        postfix.close();
      }
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  @BeforeEach
  void startInkan() throws Exception {
    inkan = InkanTestServer.start(conf);
  }

  @AfterEach
  void stopInkan() {
    if (inkan != null) {
      inkan.close();
      inkan = null;
    }
  }

  @Test
  void internalMailArrivesSignedAndVerifiesInInkan() throws Exception {
    String arrived = submitAndReceive(INTERNAL, message("internal"));
    assertThat(arrived).contains("DKIM-Signature:").doesNotContain("Authentication-Results:");
    assertThat(signature(arrived)).contains("d=example.com").contains("s=sel");
    assertThat(engineVerifies(arrived)).as(arrived).isTrue();
    assertThat(engineVerifies(arrived.replace("Hello", "Jello"))).isFalse();
  }

  @Test
  void internalMailArrivesSignedAndVerifiesInDkimpy() throws Exception {
    Path python = Prerequisites.dkimpyPython();
    String arrived = submitAndReceive(INTERNAL, message("dkimpy"));
    assertThat(dkimpyVerifies(python, arrived)).as(arrived).isZero();
    assertThat(dkimpyVerifies(python, arrived.replace("Hello", "Jello"))).isOne();
  }

  @Test
  void locallySubmittedMailArrivesSignedThroughNonSmtpdMilters() throws Exception {
    Path python = Prerequisites.dkimpyPython();
    Prerequisites.require(
        Files.isExecutable(PostfixInstance.SENDMAIL),
        "Postfix's sendmail (Debian package postfix)");
    String id = UUID.randomUUID().toString();
    postfix.sendmail("joe@example.com", "ann@example.net", message("sendmail", id));
    String arrived = postfix.deliveredContaining(id, DELIVERY);
    // pickup(8)'s Received field: the mail came from the maildrop queue, not from smtpd.
    assertThat(header(arrived, "Received")).as(arrived).contains("from userid");
    assertThat(arrived).doesNotContain("Authentication-Results:");
    assertThat(signature(arrived)).contains("d=example.com").contains("s=sel");
    assertThat(engineVerifies(arrived)).as(arrived).isTrue();
    assertThat(dkimpyVerifies(python, arrived)).as(arrived).isZero();
    assertThat(dkimpyVerifies(python, arrived.replace("Hello", "Jello"))).isOne();
  }

  @Test
  void externalMailIsVerified() throws Exception {
    String signed = submitAndReceive(INTERNAL, message("external"));

    String pass = submitAndReceive(EXTERNAL, signed);
    assertThat(pass.split("DKIM-Signature:", -1)).as("no second signature").hasSize(2);
    assertThat(authenticationResults(pass))
        .startsWith("Authentication-Results: " + PostfixInstance.HOSTNAME)
        .contains("dkim=pass header.d=example.com");

    String fail = submitAndReceive(EXTERNAL, signed.replace("Hello", "Jello"));
    assertThat(authenticationResults(fail)).contains("dkim=fail").doesNotContain("dkim=pass");
  }

  @Test
  void withInkanStoppedPostfixTempfails() throws Exception {
    long before = postfix.deliveredCount();
    inkan.close();
    inkan = null;
    try (SmtpSession smtp = new SmtpSession(INTERNAL, postfix.port())) {
      SmtpSession.Reply r = smtp.send("joe@example.com", "ann@example.net", message("stopped"));
      // Postfix finds the milter gone at connect time and refuses MAIL (451 4.7.1).
      assertThat(r.command()).as(r + "; " + postfix.maillog()).startsWith("MAIL FROM");
      assertThat(r.code()).as(r + "; " + postfix.maillog()).isBetween(400, 499);
    }
    assertThat(postfix.deliveredCount()).isEqualTo(before);
  }

  @Test
  void withInkanStoppedMidTransactionDataEndTempfails() throws Exception {
    long before = postfix.deliveredCount();
    try (SmtpSession smtp = new SmtpSession(INTERNAL, postfix.port())) {
      assertThat(smtp.command("MAIL FROM:<joe@example.com>").code()).isEqualTo(250);
      assertThat(smtp.command("RCPT TO:<ann@example.net>").code()).isEqualTo(250);
      inkan.close();
      inkan = null;
      SmtpSession.Reply data = smtp.command("DATA");
      SmtpSession.Reply r = data.code() == 354 ? smtp.content(message("midway")) : data;
      // Postfix meets the closed milter connection at the end of the message (SMFIC_BODYEOB).
      assertThat(r.command()).as(r + "; " + postfix.maillog()).isIn("DATA", "(end of data)");
      assertThat(r.code()).as(r + "; " + postfix.maillog()).isBetween(400, 499);
    }
    assertThat(postfix.deliveredCount()).isEqualTo(before);
  }

  private static String message(String subject) {
    return message(subject, UUID.randomUUID().toString());
  }

  private static String message(String subject, String id) {
    return "From: Joe <joe@example.com>\r\nTo: Ann <ann@example.net>\r\nSubject: "
        + subject
        + "\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <"
        + id
        + "@example.com>\r\n\r\nHello through Postfix.\r\n.dot-stuffed line\r\n";
  }

  /** Submits over SMTP from {@code source}; the message as the capture transport wrote it. */
  private static String submitAndReceive(InetAddress source, String message) throws Exception {
    SmtpSession.Reply r;
    try (SmtpSession smtp = new SmtpSession(source, postfix.port())) {
      r = smtp.send("joe@example.com", "ann@example.net", message);
    }
    assertThat(r.code()).as(r + "; " + postfix.maillog()).isEqualTo(250);
    return postfix.delivered(r.queueId(), DELIVERY);
  }

  /** The first (topmost) header field named {@code name}, unfolded. */
  private static String header(String message, String name) {
    String head = message.substring(0, message.indexOf("\n\n") + 1);
    String unfolded = head.replaceAll("\r?\n[ \t]+", " ");
    for (String line : unfolded.split("\r?\n")) {
      if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
        return line;
      }
    }
    throw new AssertionError("no " + name + " in " + message);
  }

  private static String signature(String message) {
    return header(message, "DKIM-Signature");
  }

  private static String authenticationResults(String message) {
    return header(message, "Authentication-Results");
  }

  /** Inkan's engine: pipe(8) wrote LF line ends, DKIM works on CRLF (RFC 6376 §2.8). */
  private static boolean engineVerifies(String message) throws Exception {
    VerificationSession v =
        new DkimVerifier(VerifierSettings.defaults(), TestKeysFile.load(keys)).newSession();
    MessageParser parser = new MessageParser(v);
    byte[] b = message.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(ISO_8859_1);
    parser.update(b, 0, b.length);
    parser.finish();
    List<VerificationResult> r = v.finish(Runnable::run).toCompletableFuture().join();
    return r.size() == 1 && r.get(0).passed();
  }

  /** {@code dkimpy_tool.py verify}'s exit code: 0 when every signature passed. */
  private static int dkimpyVerifies(Path python, String message) throws Exception {
    Path tool = Prerequisites.repoDir().resolve("ops/interop/dkimpy_tool.py");
    Path in = Files.writeString(dir.resolve("dkimpy-in-" + UUID.randomUUID()), message, ISO_8859_1);
    Path log = dir.resolve("dkimpy-out-" + UUID.randomUUID());
    Process p =
        new ProcessBuilder(python.toString(), tool.toString(), "verify", "--dns", keys.toString())
            .redirectInput(in.toFile())
            .redirectOutput(log.toFile())
            .redirectErrorStream(true)
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("dkimpy_tool.py verify did not finish");
    }
    if (p.exitValue() > 1) {
      throw new AssertionError("dkimpy_tool.py verify: " + Files.readString(log, ISO_8859_1));
    }
    return p.exitValue();
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Paths.get("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
