package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnection;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.keys.admin.DnsUpdatePublisher;
import io.inkan.keys.admin.InMemoryKeyServer;
import io.inkan.keys.admin.TsigKey;
import io.inkan.testing.AuthoritativeDnsUpdates;
import io.inkan.testing.Slapd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inkan keys} end to end: against a real slapd with the repository's schema, and for {@code
 * rotate} a real Knot DNS primary that takes TSIG-signed updates for {@code example.org}.
 */
class KeysCommandTest {
  private static final String BASE = "ou=dkim,dc=example,dc=com";
  private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

  private static Slapd slapd;
  private static AuthoritativeDnsUpdates knot;
  @TempDir static Path dir;
  private static Path passwordFile;
  private static Path tsigFile;

  @BeforeAll
  static void start() throws Exception {
    slapd = Slapd.start();
    slapd.add("dn: " + BASE + "\nobjectClass: top\nobjectClass: organizationalUnit\nou: dkim\n");
    knot = AuthoritativeDnsUpdates.start("example.org", "www A 192.0.2.1", "inkan-update");
    passwordFile = secret("slapd.password", slapd.rootPassword() + "\n");
    tsigFile = secret("tsig.key", knot.bindKeyFile());
  }

  @AfterAll
  static void stop() {
    if (knot != null) {
      knot.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  private static Path secret(String name, String text) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  /** {@code inkan keys SUB --ldap URL --bind-dn ROOT --bind-password-file FILE ARGS...}. */
  private static CliRunner.Result keys(String sub, String... args) {
    List<String> all = new ArrayList<>(List.of("keys", sub, "--ldap", slapd.url() + "/" + BASE));
    all.addAll(
        List.of("--bind-dn", slapd.rootDn(), "--bind-password-file", passwordFile.toString()));
    all.addAll(Arrays.asList(args));
    return CliRunner.run(new byte[0], all.toArray(String[]::new));
  }

  private static List<String> list(String domain) {
    CliRunner.Result r = keys("list", "--domain", domain);
    assertThat(r.exit()).as(r.err()).isZero();
    return r.outText().lines().toList();
  }

  /** The zone-file entry's strings joined: the record's text. */
  private static String recordText(String out) {
    StringBuilder text = new StringBuilder();
    Matcher m = QUOTED.matcher(out.substring(out.indexOf("IN\tTXT")));
    while (m.find()) {
      text.append(m.group(1));
    }
    return text.toString();
  }

  private static String storedPublicKey(String domain, String selector) throws Exception {
    String[] labels = domain.split("\\.");
    String dn = "DKIMSelector=" + selector + ",dc=" + String.join(",dc=", labels) + "," + BASE;
    try (LDAPConnection c = slapd.connect()) {
      return PrivateKeyReader.read(c.getEntry(dn).getAttributeValue("DKIMKey")).publicKeyBase64();
    }
  }

  @Test
  void addListDisableEnable() throws Exception {
    CliRunner.Result added =
        keys("add", "--domain", "Example.NET", "--selector", "rsa1", "--bits", "1024");
    assertThat(added.exit()).as(added.err()).isZero();
    assertThat(added.outText())
        .startsWith(
            "added rsa1 for example.net: DKIMSelector=rsa1,dc=example,dc=net," + BASE + "\n")
        .contains("rsa1._domainkey.example.net.\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=rsa; \"")
        .endsWith(" )  ; ----- DKIM key rsa1 for example.net\n");
    assertThat(recordText(added.outText())).endsWith("p=" + storedPublicKey("example.net", "rsa1"));

    CliRunner.Result ed = keys("add", "--domain", "example.net", "--ed25519", "--inactive");
    assertThat(ed.exit()).as(ed.err()).isZero();
    String edSelector =
        "e"
            + java.time.format.DateTimeFormatter.ofPattern("yyyyMM")
                .withZone(java.time.ZoneOffset.UTC)
                .format(Instant.now());
    assertThat(ed.outText())
        .contains("added " + edSelector + " for example.net (inactive)", "k=ed25519");

    assertThat(list("example.net"))
        .containsExactly(
            "example.net\t"
                + edSelector
                + "\ted25519-sha256\tinactive\t-\t-\tDKIMSelector="
                + edSelector
                + ",dc=example,dc=net,"
                + BASE,
            "example.net\trsa1\trsa-sha256\tactive\t-\t-\tDKIMSelector=rsa1,dc=example,dc=net,"
                + BASE);
    CliRunner.Result all = keys("list");
    assertThat(all.outText()).contains("example.net\trsa1").doesNotContain("MII");

    CliRunner.Result disabled = keys("disable", "--domain", "example.net", "--selector", "rsa1");
    assertThat(disabled.exit()).as(disabled.err()).isZero();
    assertThat(list("example.net"))
        .anyMatch(l -> l.startsWith("example.net\trsa1\trsa-sha256\tinactive"));
    assertThat(keys("enable", "--domain", "example.net", "--selector", "rsa1").exit()).isZero();
    assertThat(list("example.net"))
        .anyMatch(l -> l.startsWith("example.net\trsa1\trsa-sha256\tactive"));

    CliRunner.Result again =
        keys("add", "--domain", "example.net", "--selector", "rsa1", "--bits", "1024");
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err())
        .isEqualTo("inkan keys add: selector rsa1 of example.net exists already; choose another\n");
    CliRunner.Result missing = keys("disable", "--domain", "example.net", "--selector", "nope");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("no key nope for example.net below " + BASE);
  }

  @Test
  void rotatePublishesToThePrimaryThenRetiresTheOldKey() throws Exception {
    assertThat(
            keys("add", "--domain", "example.org", "--selector", "old1", "--bits", "1024").exit())
        .isZero();
    assertThat(keys("add", "--domain", "example.org", "--selector", "ed1", "--ed25519").exit())
        .isZero();
    Instant before = Instant.now();

    CliRunner.Result r =
        keys(
            "rotate",
            "--domain",
            "example.org",
            "--selector",
            "new1",
            "--bits",
            "1024",
            "--publish-to",
            "127.0.0.1:" + knot.port(),
            "--tsig-key-file",
            tsigFile.toString(),
            "--retire-after",
            "3d",
            "--wait-visible",
            "10",
            "--ttl",
            "600");

    assertThat(r.exit()).as(r.err() + r.outText()).isZero();
    assertThat(r.outText())
        .contains("added new1 (inactive until its record is visible)")
        .contains(
            "published new1._domainkey.example.org. TXT in example.org. on 127.0.0.1:"
                + knot.port())
        .contains("new1._domainkey.example.org. TXT is visible on 127.0.0.1:" + knot.port())
        .contains("activated new1")
        .contains("retiring old1: signs until ");
    List<String> served = knot.txt("new1._domainkey.example.org");
    assertThat(served).hasSize(1);
    assertThat(served.get(0))
        .startsWith("v=DKIM1; h=sha256; k=rsa; p=")
        .endsWith("p=" + storedPublicKey("example.org", "new1"));
    List<String> lines = list("example.org");
    assertThat(lines).anyMatch(l -> l.startsWith("example.org\tnew1\trsa-sha256\tactive\t-\t-\t"));
    assertThat(lines)
        .anyMatch(l -> l.startsWith("example.org\ted1\ted25519-sha256\tactive\t-\t-\t"));
    String old = lines.stream().filter(l -> l.contains("\told1\t")).findFirst().orElseThrow();
    Instant notAfter = Instant.parse(old.split("\t")[5]);
    assertThat(old.split("\t")[3]).isEqualTo("active");
    assertThat(notAfter)
        .isBetween(
            before.plus(Duration.ofDays(3)).minusSeconds(1),
            Instant.now().plus(Duration.ofDays(3)));
  }

  @Test
  void aWrongTsigKeyLeavesTheNewKeyInactiveAndTheOldOneUntouched() throws Exception {
    assertThat(
            keys("add", "--domain", "bad.example.org", "--selector", "old1", "--bits", "1024")
                .exit())
        .isZero();
    TsigKey right = TsigKey.parse(knot.bindKeyFile(), "knot");
    byte[] wrong = right.secret();
    wrong[0] ^= 1;
    Path wrongFile =
        secret(
            "wrong.key",
            right.name() + ":hmac-sha256:" + java.util.Base64.getEncoder().encodeToString(wrong));

    CliRunner.Result r =
        keys(
            "rotate",
            "--domain",
            "bad.example.org",
            "--selector",
            "new1",
            "--bits",
            "1024",
            "--publish-to",
            "127.0.0.1:" + knot.port(),
            "--tsig-key-file",
            wrongFile.toString(),
            "--wait-visible",
            "2");

    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith(
            "inkan keys rotate: 127.0.0.1:"
                + knot.port()
                + " refused the UPDATE of example.org.: NOTAUTH (TSIG BADSIG)")
        .contains("the new key new1 stays inactive and no key was retired")
        .doesNotContain(java.util.Base64.getEncoder().encodeToString(wrong));
    assertThat(r.err().lines()).hasSize(1);
    assertThat(knot.txt("new1._domainkey.bad.example.org")).isEmpty();
    assertThat(list("bad.example.org"))
        .containsExactly(
            "bad.example.org\tnew1\trsa-sha256\tinactive\t-\t-\tDKIMSelector=new1,dc=bad,dc=example,dc=org,"
                + BASE,
            "bad.example.org\told1\trsa-sha256\tactive\t-\t-\tDKIMSelector=old1,dc=bad,dc=example,dc=org,"
                + BASE);
  }

  @Test
  void withoutPublishToTheRecordIsPrintedAndTheRotationResumesOncePublished() throws Exception {
    assertThat(
            keys("add", "--domain", "manual.example.org", "--selector", "old1", "--ed25519").exit())
        .isZero();
    String[] rotate = {
      "--domain",
      "manual.example.org",
      "--selector",
      "new1",
      "--ed25519",
      "--check-nameserver",
      "127.0.0.1:" + knot.port(),
      "--wait-visible",
      "0"
    };

    CliRunner.Result first = keys("rotate", rotate);

    assertThat(first.exit()).isEqualTo(1);
    assertThat(first.outText())
        .contains(
            "publish this record in the zone of manual.example.org:\n"
                + "new1._domainkey.manual.example.org.\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=ed25519; \"");
    assertThat(first.err())
        .contains(
            "new1._domainkey.manual.example.org. TXT is not visible after 0 s: 127.0.0.1:"
                + knot.port()
                + " answered NXDOMAIN")
        .contains("run rotate again with --selector new1");
    assertThat(list("manual.example.org"))
        .anyMatch(l -> l.contains("\tnew1\ted25519-sha256\tinactive\t"));

    // the operator publishes the printed record
    String text = recordText(first.outText());
    new DnsUpdatePublisher(
            knot.address(),
            TsigKey.parse(knot.bindKeyFile(), "knot"),
            Duration.ofSeconds(5),
            Optional.empty())
        .publish("new1._domainkey.manual.example.org.", List.of(text), 300);

    CliRunner.Result second = keys("rotate", rotate);
    assertThat(second.exit()).as(second.err()).isZero();
    assertThat(second.outText())
        .contains("resuming with the inactive key new1")
        .contains("activated new1")
        .contains("retiring old1: signs until ");
    assertThat(recordText(second.outText())).isEqualTo(text);
    assertThat(text).endsWith("p=" + storedPublicKey("manual.example.org", "new1"));
  }

  @Test
  void usageErrorsExitTwoWithOneLine() throws Exception {
    Path open = dir.resolve("open.password");
    Files.writeString(open, slapd.rootPassword());
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    String url = slapd.url() + "/" + BASE;

    CliRunner.Result readable =
        CliRunner.run(
            new byte[0],
            "keys",
            "list",
            "--ldap",
            url,
            "--bind-dn",
            slapd.rootDn(),
            "--bind-password-file",
            open.toString());
    assertThat(readable.exit()).isEqualTo(2);
    assertThat(readable.err())
        .contains("group or other users may read it; chmod 600 it")
        .doesNotContain(slapd.rootPassword());

    assertThat(keys("add", "--domain", "*)(uid=*").exit()).isEqualTo(2);
    assertThat(keys("add", "--domain", "example.com", "--selector", "' OR 1=1").exit())
        .isEqualTo(2);
    assertThat(keys("add", "--domain", "example.com", "--bits", "512").err()).contains("RFC 8301");
    assertThat(keys("rotate", "--domain", "example.com", "--publish-to", "127.0.0.1").err())
        .contains("--publish-to and --tsig-key-file go together");
    assertThat(keys("rotate", "--domain", "example.com", "--retire-after", "soon").exit())
        .isEqualTo(2);
    assertThat(CliRunner.run(new byte[0], "keys", "list").exit()).isEqualTo(2);
    assertThat(CliRunner.run(new byte[0], "keys").exit()).isEqualTo(2);
    CliRunner.Result ldapi =
        CliRunner.run(new byte[0], "keys", "list", "--ldap", "ldapi:///ou=dkim");
    assertThat(ldapi.exit()).isEqualTo(2);
  }

  @Test
  void aRefusedBindExitsOneWithoutThePassword() throws Exception {
    Path wrong = secret("wrong.password", "not-the-password\n");
    CliRunner.Result r =
        CliRunner.run(
            new byte[0],
            "keys",
            "list",
            "--ldap",
            slapd.url() + "/" + BASE,
            "--bind-dn",
            slapd.rootDn(),
            "--bind-password-file",
            wrong.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("inkan keys list: cannot connect and bind to ")
        .contains("invalid credentials")
        .doesNotContain("not-the-password");
    assertThat(r.err().lines()).hasSize(1);
  }

  @Test
  void theBindSettingsMayComeFromInkanConf() throws Exception {
    try (InMemoryKeyServer server = InMemoryKeyServer.start()) {
      Path conf = dir.resolve("inkan.conf");
      Files.writeString(
          conf,
          "LDAPBindUser "
              + InMemoryKeyServer.ADMIN
              + "\nLDAPBindPassword "
              + InMemoryKeyServer.ADMIN_PASSWORD
              + "\n");
      CliRunner.Result add =
          CliRunner.run(
              new byte[0],
              "keys",
              "add",
              "-x",
              conf.toString(),
              "--ldap",
              server.url(),
              "--domain",
              "example.com",
              "--selector",
              "mem1",
              "--ed25519");
      assertThat(add.exit()).as(add.err()).isZero();
      CliRunner.Result list =
          CliRunner.run(new byte[0], "keys", "list", "-x", conf.toString(), "--ldap", server.url());
      assertThat(list.outText())
          .isEqualTo(
              "example.com\tmem1\ted25519-sha256\tactive\t-\t-\tDKIMSelector=mem1,dc=example,dc=com,"
                  + InMemoryKeyServer.BASE
                  + "\n");
    }
  }

  @Test
  void theServersAndBaseMayComeFromSigningDirectory() throws Exception {
    Path conf = dir.resolve("directory.conf");
    String dead = "ldap://127.0.0.1:" + Slapd.freePort() + "/" + BASE;
    Files.writeString(
        conf,
        "SigningDirectory "
            + dead
            + " "
            + slapd.url()
            + "/"
            + BASE
            + "\nLDAPBindUser "
            + slapd.rootDn()
            + "\nLDAPBindPassword "
            + slapd.rootPassword()
            + "\n");
    CliRunner.Result add =
        CliRunner.run(
            new byte[0],
            "keys",
            "add",
            "-x",
            conf.toString(),
            "--domain",
            "fromconf.example",
            "--selector",
            "sd1",
            "--ed25519");
    assertThat(add.exit()).as(add.err()).isZero();
    assertThat(add.outText())
        .startsWith(
            "added sd1 for fromconf.example: DKIMSelector=sd1,dc=fromconf,dc=example," + BASE);
    CliRunner.Result list =
        CliRunner.run(
            new byte[0], "keys", "list", "-x", conf.toString(), "--domain", "fromconf.example");
    assertThat(list.exit()).as(list.err()).isZero();
    assertThat(list.outText()).startsWith("fromconf.example\tsd1\ted25519-sha256\tactive\t");

    // --ldap wins over SigningDirectory: only the dead server is configured
    Path deadConf = dir.resolve("dead.conf");
    Files.writeString(
        deadConf,
        "SigningDirectory "
            + dead
            + "\nLDAPBindUser "
            + slapd.rootDn()
            + "\nLDAPBindPassword "
            + slapd.rootPassword()
            + "\n");
    CliRunner.Result dead1 = CliRunner.run(new byte[0], "keys", "list", "-x", deadConf.toString());
    assertThat(dead1.exit()).isEqualTo(1);
    assertThat(dead1.err())
        .startsWith("inkan keys list: cannot connect and bind to ")
        .doesNotContain(slapd.rootPassword());
    CliRunner.Result override =
        CliRunner.run(
            new byte[0],
            "keys",
            "list",
            "-x",
            deadConf.toString(),
            "--ldap",
            slapd.url() + "/" + BASE,
            "--domain",
            "fromconf.example");
    assertThat(override.exit()).as(override.err()).isZero();
    assertThat(override.outText()).contains("\tsd1\t");

    Path none = dir.resolve("none.conf");
    Files.writeString(none, "Domain example.com\n");
    CliRunner.Result missing = CliRunner.run(new byte[0], "keys", "list", "-x", none.toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("has no SigningDirectory; give --ldap URL");

    Path mixed = dir.resolve("mixed.conf");
    Files.writeString(
        mixed,
        "\nSigningDirectory " + slapd.url() + "/" + BASE + " " + slapd.url() + "/dc=other\n");
    CliRunner.Result bases = CliRunner.run(new byte[0], "keys", "list", "-x", mixed.toString());
    assertThat(bases.exit()).isEqualTo(2);
    assertThat(bases.err())
        .contains(mixed + ":2: SigningDirectory ")
        .contains("different base DNs");
  }
}
