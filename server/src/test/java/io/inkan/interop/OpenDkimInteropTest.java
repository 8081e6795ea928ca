package io.inkan.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cli.InkanTestServer;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Side by side with the real OpenDKIM filter (Debian package {@code opendkim}), both driven over
 * the milter protocol: a message Inkan signs passes in OpenDKIM, one OpenDKIM signs passes in
 * Inkan, for each canonicalization; a tampered body fails in both.
 */
class OpenDkimInteropTest {
  private static final Path OPENDKIM = Paths.get("/usr/sbin/opendkim");
  private static final String INTERNAL = "127.0.0.1";
  private static final String EXTERNAL = "198.51.100.7";

  /** Folded fields and white space runs, so that the canonicalizations differ. */
  private static final String MESSAGE =
      "From: Alice Example\r\n <alice@example.com>\r\nTo: bob@example.org,\r\n\tcarol@example.org\r\n"
          + "Subject: side  by side\twith OpenDKIM \r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n"
          + "Message-ID: <odk-interop@example.com>\r\n\r\n"
          + "Hello Bob,  \r\n\tthis line starts with a tab.\r\nInner   runs\tof white space\r\n"
          + "\r\n\r\n";

  @TempDir Path dir;
  private Process opendkim;
  private InkanTestServer inkan;

  @BeforeAll
  static void requireOpenDkim() {
    Prerequisites.require(
        Files.isExecutable(OPENDKIM),
        "the OpenDKIM filter " + OPENDKIM + " (Debian package opendkim)");
  }

  @BeforeEach
  void keys() throws Exception {
    Path ink = dir.resolve("ink.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(ink, in.readAllBytes());
    }
    KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
    rsa.initialize(2048);
    KeyPair pair = rsa.generateKeyPair();
    Path odk =
        Files.writeString(
            dir.resolve("odk.private"),
            "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
    for (Path key : List.of(ink, odk)) {
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }
    String inkPublic = PrivateKeyReader.read(Files.readString(ink)).publicKeyBase64();
    String odkPublic = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    // One file for both: OpenDKIM's TestPublicKeys reads "NAME TXT-VALUE" lines, as Inkan does.
    Files.writeString(
        dir.resolve("keys"),
        "ink._domainkey.example.com v=DKIM1; k=rsa; p="
            + inkPublic
            + "\nodk._domainkey.example.com v=DKIM1; k=rsa; p="
            + odkPublic
            + "\n");
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (inkan != null) {
      inkan.close();
    }
    if (opendkim != null) {
      // SIGTERM takes libmilter's 5 s listener poll to act on; OpenDKIM holds nothing to flush.
      opendkim.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"relaxed/simple", "relaxed/relaxed", "simple/simple"})
  void inkanSignsAndOpenDkimVerifies(String canonicalization) throws Exception {
    start(canonicalization);
    String signed;
    try (MtaSimulator mta = new MtaSimulator(dir.resolve("inkan.sock"))) {
      mta.open(INTERNAL);
      signed = withHeader("DKIM-Signature", mta.message(MESSAGE)) + MESSAGE;
    }
    assertThat(signed).contains("s=ink").contains("c=" + canonicalization);

    assertThat(authenticationResults(dir.resolve("odk.sock"), signed))
        .startsWith(" odk.test;")
        .contains("dkim=pass")
        .contains("header.d=example.com")
        .contains("header.s=ink");
    assertThat(authenticationResults(dir.resolve("odk.sock"), tamper(signed)))
        .contains("dkim=fail");
  }

  @ParameterizedTest
  @ValueSource(strings = {"relaxed/simple", "relaxed/relaxed", "simple/simple"})
  void openDkimSignsAndInkanVerifies(String canonicalization) throws Exception {
    start(canonicalization);
    String signed;
    try (MtaSimulator mta = new MtaSimulator(dir.resolve("odk.sock"))) {
      mta.open(INTERNAL);
      signed = withHeader("DKIM-Signature", mta.message(MESSAGE)) + MESSAGE;
    }
    assertThat(signed).contains("s=odk").contains("c=" + canonicalization);

    assertThat(authenticationResults(dir.resolve("inkan.sock"), signed))
        .startsWith(" inkan.test;")
        .contains("dkim=pass header.d=example.com")
        .contains("header.s=odk");
    assertThat(authenticationResults(dir.resolve("inkan.sock"), tamper(signed)))
        .contains("dkim=fail");
  }

  /** Starts OpenDKIM and Inkan, both signing and verifying with {@code canonicalization}. */
  private void start(String canonicalization) throws Exception {
    String common =
        "Mode sv\nDomain example.com\nCanonicalization "
            + canonicalization
            + "\nSignatureAlgorithm rsa-sha256\nTestPublicKeys "
            + dir.resolve("keys")
            + "\nInternalHosts 127.0.0.1\nSyslog no\n";
    Path odkConf =
        Files.writeString(
            dir.resolve("opendkim.conf"),
            common
                + "Socket local:"
                + dir.resolve("odk.sock")
                + "\nSelector odk\nKeyFile "
                + dir.resolve("odk.private")
                + "\nAuthservID odk.test\n"
                // @TempDir lives under /tmp, which others may write: OpenDKIM's key-path check
                // refuses that, and the check is not what this test is about.
                + "RequireSafeKeys no\n");
    Path inkConf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            common
                + "Socket local:"
                + dir.resolve("inkan.sock")
                + "\nSelector ink\nKeyFile "
                + dir.resolve("ink.private")
                + "\nAuthservID inkan.test\n");
    inkan = InkanTestServer.start(inkConf);
    Path log = dir.resolve("opendkim.log");
    opendkim =
        new ProcessBuilder(OPENDKIM.toString(), "-f", "-x", odkConf.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitSocket(dir.resolve("odk.sock"), log);
  }

  private void awaitSocket(Path socket, Path log) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    // the file appears at bind(), before listen(): wait until a connection is accepted
    while (!MtaSimulator.accepts(socket)) {
      if (!opendkim.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "opendkim did not open "
                + socket
                + (opendkim.isAlive() ? " within 10 s" : ", exit " + opendkim.exitValue())
                + "; its output:\n"
                + Files.readString(log));
      }
      Thread.sleep(20);
    }
  }

  /** Sends {@code message} from an external client and returns the inserted A-R value. */
  private static String authenticationResults(Path socket, String message) throws IOException {
    try (MtaSimulator mta = new MtaSimulator(socket)) {
      mta.open(EXTERNAL);
      List<MtaSimulator.Reply> replies = mta.message(message);
      assertThat(replies.get(replies.size() - 1).command()).isIn('a', 'c');
      return header("Authentication-Results", replies);
    }
  }

  /** The header field {@code name} the filter added, as the MTA would prepend it. */
  private static String withHeader(String name, List<MtaSimulator.Reply> replies) {
    assertThat(replies.get(replies.size() - 1).command()).isIn('a', 'c');
    return name + ":" + header(name, replies) + "\r\n";
  }

  /** The value of the header {@code name} the filter added, with one leading space as Postfix. */
  private static String header(String name, List<MtaSimulator.Reply> replies) {
    return replies.stream()
        .filter(r -> r.command() == 'h' || r.command() == 'i')
        .map(MtaSimulator.Reply::header)
        .filter(h -> h[0].equalsIgnoreCase(name))
        .map(h -> h[1].startsWith(" ") || h[1].startsWith("\t") ? h[1] : " " + h[1])
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "no " + name + " header among the replies " + commands(replies)));
  }

  private static String commands(List<MtaSimulator.Reply> replies) {
    StringBuilder s = new StringBuilder();
    for (MtaSimulator.Reply r : replies) {
      s.append(r.command())
          .append(' ')
          .append(new String(r.payload(), StandardCharsets.ISO_8859_1));
      s.append("; ");
    }
    return s.toString();
  }

  private static String tamper(String signed) {
    String tampered = signed.replace("Hello Bob", "Jello Bob");
    assertThat(tampered).isNotEqualTo(signed);
    return tampered;
  }
}
