package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignVerifyCommandTest {
  private static final String MESSAGE =
      "From: Alice <alice@example.com>\nTo: bob@example.net\nSubject: hi\n\nHello\n\n";

  @TempDir Path dir;

  private Path resource(String name) throws IOException {
    Path p = dir.resolve(name.replace('/', '_'));
    try (InputStream in = getClass().getResourceAsStream("/rfc8463/" + name)) {
      Files.write(p, in.readAllBytes());
    }
    return p;
  }

  /** RSA key and test-keys file for s=test, d=football.example.com (RFC 8463 Appendix A). */
  private CliRunner.Result sign(String message, String... extra) throws IOException {
    String[] args = new String[6 + extra.length];
    args[0] = "sign";
    args[1] = "-d";
    args[2] = "football.example.com";
    args[3] = "-s";
    args[4] = "test";
    args[5] = "-k" + resource("rsa.private");
    System.arraycopy(extra, 0, args, 6, extra.length);
    return CliRunner.run(message.getBytes(StandardCharsets.UTF_8), args);
  }

  private CliRunner.Result verify(byte[] message, String... extra) throws IOException {
    String[] args = new String[2 + extra.length];
    args[0] = "verify";
    args[1] = "--test-keys=" + resource("dns.txt");
    System.arraycopy(extra, 0, args, 2, extra.length);
    return CliRunner.run(message, args);
  }

  @Test
  void signsKeepingLfLineEndsAndVerifies() throws IOException {
    CliRunner.Result signed = sign(MESSAGE, "--oversign", "From", "-x", "3600");
    assertThat(signed.exit()).as(signed.err()).isZero();
    String out = signed.outText();
    assertThat(out)
        .startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;")
        .endsWith("\n" + MESSAGE)
        .doesNotContain("\r");
    assertThat(out).contains("x=").contains("h=from : subject : to : from;");

    CliRunner.Result v = verify(signed.out());
    assertThat(v.exit()).isZero();
    assertThat(v.outText())
        .startsWith(
            "dkim=pass header.d=football.example.com "
                + "header.i=@football.example.com header.s=test header.a=rsa-sha256 header.b=");
  }

  @Test
  void keepsCrlfLineEnds() throws IOException {
    CliRunner.Result signed = sign(MESSAGE.replace("\n", "\r\n"), "-c", "simple/simple");
    assertThat(signed.exit()).isZero();
    assertThat(signed.outText()).doesNotContain("\n\n").contains("c=simple/simple; d=");
    assertThat(verify(signed.out()).exit()).isZero();
  }

  @Test
  void ed25519KeyDefaultsToEd25519Sha256() throws IOException {
    CliRunner.Result signed =
        CliRunner.run(
            MESSAGE.getBytes(StandardCharsets.UTF_8),
            "sign",
            "-d",
            "football.example.com",
            "-s",
            "brisbane",
            "-k",
            resource("ed25519.key").toString(),
            "-i",
            "joe@football.example.com",
            "-z",
            "-l");
    assertThat(signed.exit()).as(signed.err()).isZero();
    assertThat(signed.outText()).contains("a=ed25519-sha256").contains(" l=").contains(" z=From:");
    CliRunner.Result v = verify(signed.out(), "--json");
    assertThat(v.exit()).isZero();
    JsonObject r = new JsonArray(v.outText()).getJsonObject(0);
    assertThat(r.fieldNames())
        .containsExactlyInAnyOrder(
            "result", "domain", "identity", "selector", "algorithm", "b", "reason", "dnssecSecure");
    assertThat(r.getString("result")).isEqualTo("pass");
    assertThat(r.getString("identity")).isEqualTo("joe@football.example.com");
  }

  @Test
  void tamperedMessageFailsWithExit1() throws IOException {
    byte[] signed = sign(MESSAGE).out();
    String tampered = new String(signed, StandardCharsets.ISO_8859_1).replace("Hello", "Hullo");
    CliRunner.Result v = verify(tampered.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(v.exit()).isEqualTo(1);
    assertThat(v.outText()).startsWith("dkim=fail ").contains("(body hash did not verify)");
  }

  @Test
  void unsignedMessageIsNone() throws IOException {
    CliRunner.Result v = verify(MESSAGE.getBytes(StandardCharsets.UTF_8));
    assertThat(v.exit()).isEqualTo(1);
    assertThat(v.outText()).isEqualTo("dkim=none\n");
    assertThat(verify(MESSAGE.getBytes(StandardCharsets.UTF_8), "--json").outText().trim())
        .isEqualTo("[]");
  }

  @Test
  void refusesAMessageWithoutFrom() throws IOException {
    CliRunner.Result r = sign("To: bob@example.net\n\nbody\n");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("no From header field");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void usageAndInputErrorsExit2() throws IOException {
    assertThat(sign(MESSAGE, "-a", "rsa-sha1").exit()).isEqualTo(2);
    assertThat(sign(MESSAGE, "-a", "ed25519-sha256").exit()).isEqualTo(2);
    assertThat(sign(MESSAGE, "-c", "loose").exit()).isEqualTo(2);
    Path badKey = Files.writeString(dir.resolve("bad.key"), "not a key");
    CliRunner.Result r =
        CliRunner.run(new byte[0], "sign", "-d", "d", "-s", "s", "-k", badKey.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("bad.key");

    Path keys = Files.writeString(dir.resolve("keys"), "# ok\nname\n");
    CliRunner.Result v = CliRunner.run(new byte[0], "verify", "--test-keys", keys.toString());
    assertThat(v.exit()).isEqualTo(2);
    assertThat(v.err()).contains(keys + ":2:");
    assertThat(CliRunner.run(new byte[0], "verify", "--nameserver", "not-an-ip").exit())
        .isEqualTo(2);
    assertThat(CliRunner.run(new byte[0], "nonsense").exit()).isEqualTo(2);
  }
}
