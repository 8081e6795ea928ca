package io.inkan.miltertest;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cli.InkanTestServer;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.SignResult;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inkan in {@code Mode sv} on a unix socket, driven by miltertest (Debian package {@code
 * miltertest}) running the Lua scripts in {@code src/test/resources/miltertest}: an internal
 * client's mail is signed; an external client's mail is verified (pass, fail, unsigned).
 */
class MiltertestTest {
  private static final Path MILTERTEST = Paths.get("/usr/bin/miltertest");
  private static final List<String> SCRIPTS =
      List.of(
          "common.lua",
          "message.eml",
          "sign.lua",
          "verify-pass.lua",
          "verify-fail.lua",
          "unsigned.lua");
  private static final long SIGNED_AT = 1_700_000_000L;

  @TempDir Path dir;
  private InkanTestServer inkan;
  private String privateKey;

  @BeforeEach
  void start() throws Exception {
    Prerequisites.require(Files.isExecutable(MILTERTEST), "miltertest (Debian package miltertest)");
    for (String name : SCRIPTS) {
      Files.writeString(dir.resolve(name), resource("/miltertest/" + name));
    }
    privateKey = resource("/keys/rsa2048.private");
    Path key = Files.writeString(dir.resolve("sel.private"), privateKey);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path dns =
        Files.writeString(
            dir.resolve("dns"),
            "sel._domainkey.example.com v=DKIM1; p="
                + PrivateKeyReader.read(privateKey).publicKeyBase64()
                + "\n");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            String.join(
                "\n",
                "Mode sv",
                "Socket local:" + socket(),
                "Domain example.com",
                "Selector sel",
                "KeyFile " + key,
                "Canonicalization relaxed/simple",
                "TestPublicKeys " + dns,
                "AuthservID mx.example.net",
                "RequireSafeKeys no",
                ""));
    inkan = InkanTestServer.start(conf);
  }

  @AfterEach
  void stop() {
    if (inkan != null) {
      inkan.close();
    }
  }

  @Test
  void signsMailFromAnInternalClient() throws Exception {
    miltertest("sign.lua");
  }

  @Test
  void verifiesAValidSignatureAsPass() throws Exception {
    miltertest("verify-pass.lua", "signature=" + signature());
  }

  @Test
  void verifiesATamperedMessageAsFail() throws Exception {
    miltertest("verify-fail.lua", "signature=" + signature());
  }

  @Test
  void acceptsUnsignedMailFromAnExternalClient() throws Exception {
    miltertest("unsigned.lua");
  }

  /** Runs one script; fails with miltertest's output unless it exits 0. */
  private void miltertest(String script, String... globals) throws Exception {
    List<String> command = new ArrayList<>(List.of(MILTERTEST.toString(), "-v"));
    command.addAll(List.of("-D", "socket=" + socket(), "-D", "dir=" + dir));
    for (String g : globals) {
      command.addAll(List.of("-D", g));
    }
    command.addAll(List.of("-s", dir.resolve(script).toString()));
    Path log = dir.resolve(script + ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    boolean exited = p.waitFor(120, TimeUnit.SECONDS);
    if (!exited) {
      p.destroyForcibly().waitFor();
    }
    String output = Files.readString(log, StandardCharsets.ISO_8859_1);
    assertThat(exited).as("miltertest %s timed out; output:%n%s", script, output).isTrue();
    assertThat(p.exitValue()).as("miltertest %s exit status; output:%n%s", script, output).isZero();
  }

  /**
   * The DKIM-Signature value (after the colon, folded with LF as an MTA passes it) that the engine
   * makes for {@code message.eml} with the test key at a fixed time.
   */
  private String signature() throws Exception {
    DkimSigner signer =
        new DkimSigner(SignerSettings.of("example.com", "sel", PrivateKeyReader.read(privateKey)));
    SigningSession session = signer.newSession(SIGNED_AT);
    byte[] message =
        resource("/miltertest/message.eml")
            .replace("\r\n", "\n")
            .replace("\n", "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    MessageParser parser = new MessageParser(session);
    parser.update(message, 0, message.length);
    parser.finish();
    SignResult result = signer.finish(session);
    assertThat(result).isInstanceOf(SignResult.Signed.class);
    String raw = ((SignResult.Signed) result).field().raw();
    return raw.substring(raw.indexOf(':') + 1).strip().replace("\r\n", "\n");
  }

  private Path socket() {
    return dir.resolve("inkan.sock");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = MiltertestTest.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
