package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.keys.DkimKeyGenerator;
import io.inkan.keys.DkimTxtRecord;
import io.inkan.keys.KeyFiles;
import io.inkan.testing.AuthoritativeDns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code inkan testkey} against records served by a real knotd. */
class TestkeyCommandTest {
  @TempDir static Path dir;

  private static AuthoritativeDns dns;
  private static Path rsaKey;
  private static Path edKey;

  @BeforeAll
  static void publish() throws Exception {
    AuthoritativeDns.require();
    DkimKeyGenerator.Generated rsa = DkimKeyGenerator.generate(KeyType.RSA, 2048);
    DkimKeyGenerator.Generated ed = DkimKeyGenerator.generate(KeyType.ED25519, 0);
    DkimKeyGenerator.Generated other = DkimKeyGenerator.generate(KeyType.RSA, 1024);
    rsaKey = dir.resolve("rsa.private");
    edKey = dir.resolve("ed.private");
    KeyFiles.createPrivate(rsaKey, rsa.privateKeyPem());
    KeyFiles.createPrivate(edKey, ed.privateKeyPem());
    String zone =
        String.join(
            "\n",
            "rsa._domainkey TXT " + strings(rsa),
            "ed._domainkey TXT " + strings(ed),
            "wrong._domainkey TXT " + strings(other),
            "revoked._domainkey TXT \"v=DKIM1; k=rsa; p=\"",
            "garbage._domainkey TXT \"hello world\"",
            "nodata._domainkey A 192.0.2.1");
    dns = AuthoritativeDns.start(Map.of("example.com", zone));
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
  }

  /** The record as zone-file strings. */
  private static String strings(DkimKeyGenerator.Generated key) {
    DkimTxtRecord record =
        new DkimTxtRecord(
            key.key().type(),
            key.key().publicKeyBase64(),
            Optional.of("sha256"),
            Optional.empty(),
            false,
            false,
            false);
    return record.strings().stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(" "));
  }

  private static CliRunner.Result testkey(String... args) {
    List<String> all = new ArrayList<>(List.of("testkey"));
    all.addAll(List.of(args));
    return CliRunner.run(new byte[0], all.toArray(String[]::new));
  }

  private static String server() {
    return "127.0.0.1:" + dns.port();
  }

  static Stream<Arguments> records() {
    return Stream.of(
        Arguments.of("rsa", "rsa", 0, "key OK"),
        Arguments.of("ed", "ed", 0, "key OK"),
        Arguments.of("wrong", "rsa", 1, "public key does not match the private key"),
        Arguments.of("rsa", "ed", 1, "record has k=rsa but the private key is ed25519"),
        Arguments.of("revoked", "rsa", 1, "record is revoked (empty p=)"),
        Arguments.of("missing", "rsa", 1, "record not found (NXDOMAIN)"),
        Arguments.of("nodata", "rsa", 1, "record not found (the name has no TXT record)"),
        Arguments.of(
            "garbage", "rsa", 1, "not a DKIM key record: tag \"hello world\" has no value"));
  }

  @ParameterizedTest(name = "{0} with the {1} key: {3}")
  @MethodSource("records")
  void checksTheRecordAgainstTheKey(String selector, String key, int exit, String reason) {
    Path keyFile = key.equals("rsa") ? rsaKey : edKey;
    CliRunner.Result r =
        testkey(
            "-d",
            "example.com",
            "-s",
            selector,
            "-k",
            keyFile.toString(),
            "--nameserver",
            server());
    assertThat(r.exit()).as(r.err()).isEqualTo(exit);
    assertThat(r.outText()).isEqualTo("example.com/" + selector + ": " + reason + "\n");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void verboseOutputShowsTheRecordAndKeySize() {
    CliRunner.Result r =
        testkey(
            "-v",
            "-d",
            "example.com",
            "-s",
            "rsa",
            "-k",
            rsaKey.toString(),
            "--nameserver",
            server());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outText())
        .startsWith(
            "example.com/rsa: key OK\n  name: rsa._domainkey.example.com\n  record: v=DKIM1;")
        .contains("  TTL: 300 s\n", "  published key: rsa, 2048 bits\n");
  }

  @Test
  void withoutAKeyOnlyTheRecordIsChecked() {
    CliRunner.Result r = testkey("-d", "example.com", "-s", "wrong", "--nameserver", server());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outText())
        .isEqualTo("example.com/wrong: record OK (no private key given to compare)\n");
  }

  @Test
  void testsEveryKeyOfAConfigurationsKeyTable() throws Exception {
    Path table =
        Files.writeString(
            dir.resolve("keytable"),
            String.join(
                "\n",
                "rsa-key example.com:rsa:" + rsaKey,
                "ed-key example.com:ed:" + edKey + ":ed25519-sha256",
                "wrong-key example.com:wrong:" + rsaKey,
                "any-key %:rsa:" + rsaKey,
                "gone-key example.com:missing:" + dir.resolve("nonexistent.private"),
                ""));
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "KeyTable file:"
                + table
                + "\nSigningTable csl:*=rsa-key\nNameservers "
                + server()
                + "\n");
    CliRunner.Result r = testkey("-x", conf.toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    List<String> lines = r.outText().lines().toList();
    assertThat(lines)
        .hasSize(5)
        .startsWith(
            "example.com/rsa: key OK",
            "example.com/ed: key OK",
            "example.com/wrong: public key does not match the private key",
            "%/rsa: skipped: its domain is %, the sender's domain, which only a message names");
    assertThat(lines.get(4)).startsWith("example.com/missing: cannot read the key: KeyTable ");

    CliRunner.Result narrowed = testkey("-x", conf.toString(), "-s", "wrong");
    assertThat(narrowed.exit()).isEqualTo(1);
    assertThat(narrowed.outText())
        .isEqualTo("example.com/wrong: public key does not match the private key\n");

    CliRunner.Result good = testkey("-x", conf.toString(), "-d", "example.com", "-s", "ed");
    assertThat(good.exit()).as(good.err()).isZero();
    assertThat(good.outText()).isEqualTo("example.com/ed: key OK\n");
  }

  @Test
  void testsTheSingleKeyOfAConfiguration() throws Exception {
    Path conf =
        Files.writeString(
            dir.resolve("single.conf"),
            "Domain example.com\nSelector ed\nKeyFile "
                + edKey
                + "\nSignatureAlgorithm ed25519-sha256\nNameservers "
                + server()
                + "\n");
    CliRunner.Result r = testkey("-x", conf.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outText()).isEqualTo("example.com/ed: key OK\n");
  }

  @Test
  void warnsAboutAKeyOthersCanRead() throws Exception {
    Path open = dir.resolve("open.private");
    Files.copy(rsaKey, open);
    Files.setPosixFilePermissions(
        open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    CliRunner.Result r =
        testkey("-d", "example.com", "-s", "rsa", "-k", open.toString(), "--nameserver", server());
    assertThat(r.exit()).isZero();
    assertThat(r.err()).contains("warning: " + open + " can be read or written by group or others");
  }

  @Test
  void testKeysFileInsteadOfDns() throws Exception {
    Path keys =
        Files.writeString(
            dir.resolve("test-keys"),
            "rsa._domainkey.example.org NXDOMAIN\n",
            StandardCharsets.US_ASCII);
    CliRunner.Result r =
        testkey(
            "-d",
            "example.org",
            "-s",
            "rsa",
            "-k",
            rsaKey.toString(),
            "--test-keys",
            keys.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.outText()).isEqualTo("example.org/rsa: record not found (NXDOMAIN)\n");
  }

  @Test
  void usageErrorsExitWithTwo() throws Exception {
    assertThat(testkey("-s", "rsa", "--nameserver", server()).exit()).isEqualTo(2);
    CliRunner.Result noKey =
        testkey(
            "-d",
            "example.com",
            "-s",
            "rsa",
            "-k",
            dir.resolve("absent").toString(),
            "--nameserver",
            server());
    assertThat(noKey.exit()).isEqualTo(2);
    assertThat(noKey.err()).contains("cannot read it");
    Path notAKey = Files.writeString(dir.resolve("not-a-key"), "hello\n");
    CliRunner.Result garbage =
        testkey(
            "-d", "example.com", "-s", "rsa", "-k", notAKey.toString(), "--nameserver", server());
    assertThat(garbage.exit()).isEqualTo(2);
    assertThat(garbage.outText()).startsWith("example.com/rsa: cannot read the key: ");
    assertThat(testkey("-d", "example.com", "-s", "rsa", "--nameserver", "example.net").exit())
        .isEqualTo(2);
    assertThat(testkey("-x", dir.resolve("no.conf").toString()).exit()).isEqualTo(2);
  }
}
