package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import io.inkan.testing.Prerequisites;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inkan genzone} over every data set type, against genkey's files and opendkim-genzone. */
class GenzoneCommandTest {
  private static final Path OPENDKIM_GENZONE = Path.of("/usr/sbin/opendkim-genzone");

  /** One record of a zone fragment: owner, TTL (or empty) and its strings joined. */
  private static final Pattern RECORD =
      Pattern.compile("(?m)^(\\S+)\\t(?:(\\d+)\\t)?IN\\tTXT\\t\\(([^)]*)\\)");

  private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  @TempDir Path dir;

  private Path table;

  /** Two RSA keys from {@code inkan genkey} (PKCS#1, which opendkim-genzone reads too). */
  @BeforeEach
  void keys() throws Exception {
    genkey("example.com", "sel1", "-b", "1024");
    genkey("example.org", "sel2");
    table =
        Files.writeString(
            dir.resolve("keytable"),
            "k1 example.com:sel1:"
                + dir.resolve("sel1.private")
                + "\n"
                + "k2 example.org:sel2:"
                + dir.resolve("sel2.private")
                + "\n");
  }

  private void genkey(String domain, String selector, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("genkey", "-D", dir.toString(), "-d", domain, "-s", selector));
    args.addAll(List.of(extra));
    CliRunner.Result r = inkan(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
  }

  private static CliRunner.Result inkan(String... args) {
    return CliRunner.run(new byte[0], args);
  }

  private static CliRunner.Result genzone(String... args) {
    List<String> all = new ArrayList<>(List.of("genzone"));
    all.addAll(List.of(args));
    CliRunner.Result r = CliRunner.run(new byte[0], all.toArray(String[]::new));
    return r;
  }

  /** The records of a zone fragment as "OWNER TTL TEXT", whitespace removed from the text. */
  static List<String> records(String zone) {
    List<String> out = new ArrayList<>();
    Matcher m = RECORD.matcher(zone);
    while (m.find()) {
      StringBuilder text = new StringBuilder();
      Matcher s = STRING.matcher(m.group(3));
      while (s.find()) {
        text.append(s.group(1).replaceAll("\\\\(.)", "$1"));
      }
      String ttl = m.group(2) == null ? "-" : m.group(2);
      out.add(m.group(1) + " " + ttl + " " + text.toString().replaceAll("\\s", ""));
    }
    return out;
  }

  /** What follows the comment header. */
  private static String body(CliRunner.Result r) {
    String text = r.outText();
    assertThat(text).startsWith("; DKIM public key zone data\n");
    return text.substring(text.indexOf("\n\n") + 2);
  }

  private static String opendkimGenzone(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(OPENDKIM_GENZONE.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void recordsAreThoseOfOpendkimGenzone() throws Exception {
    Prerequisites.require(
        Files.isExecutable(OPENDKIM_GENZONE), "opendkim-genzone (Debian package opendkim-tools)");
    List<List<String>> flagSets =
        List.of(
            List.of(),
            List.of("-D"),
            List.of("-F", "-t", "300"),
            List.of("-M", "-D"),
            List.of("-d", "example.org", "-F"));
    for (List<String> flags : flagSets) {
      List<String> theirs = new ArrayList<>(flags);
      theirs.add(table.toString());
      List<String> ours = new ArrayList<>(flags);
      ours.addAll(List.of("--hashes=", table.toString()));
      CliRunner.Result r = genzone(ours.toArray(String[]::new));
      assertThat(r.exit()).as(r.err()).isZero();
      List<String> expected = records(opendkimGenzone(theirs.toArray(String[]::new)));
      assertThat(expected).as("opendkim-genzone %s", flags).isNotEmpty();
      assertThat(records(r.outText())).as("%s", flags).isEqualTo(expected);
    }
  }

  @Test
  void recordsAreWhatGenkeyWroteForTheSameKeys() throws Exception {
    genkey("example.net", "ed", "--ed25519");
    Files.writeString(
        table,
        "k3 example.net:ed:" + dir.resolve("ed.private") + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    CliRunner.Result r = genzone("-D", "file:" + table);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).isEmpty();
    assertThat(body(r))
        .isEqualTo(
            Files.readString(dir.resolve("sel1.txt"))
                + Files.readString(dir.resolve("sel2.txt"))
                + Files.readString(dir.resolve("ed.txt")));
  }

  @Test
  void everyWalkableDataSetGivesTheSameZone() throws Exception {
    String expected = body(genzone("-F", "-k", "file:" + table));

    Path env = dir.resolve("keytable-db");
    CliRunner.Result imported = inkan("db", "import", table.toString(), env.toString());
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(body(genzone("-F", "db:" + env))).isEqualTo(expected);

    assertThat(
            body(
                genzone(
                    "-F",
                    "csl:k1=example.com:sel1:"
                        + dir.resolve("sel1.private")
                        + ",k2=example.org:sel2:"
                        + dir.resolve("sel2.private"))))
        .isEqualTo(expected);

    Path sqlite = dir.resolve("keys.sqlite");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite)) {
      c.createStatement()
          .execute(
              "CREATE TABLE keys (id TEXT, domain TEXT, selector TEXT, path TEXT, active INT)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO keys VALUES (?, ?, ?, ?, ?)")) {
        Object[][] rows = {
          {"k2", "example.org", "sel2", dir.resolve("sel2.private").toString(), 1},
          {"k1", "example.com", "sel1", dir.resolve("sel1.private").toString(), 1},
          {"k0", "example.com", "old", dir.resolve("gone.private").toString(), 0}
        };
        for (Object[] row : rows) {
          for (int i = 0; i < row.length; i++) {
            ps.setObject(i + 1, row[i]);
          }
          ps.executeUpdate();
        }
      }
    }
    String dsn =
        "dsn:sqlite3://"
            + sqlite
            + "/table=keys?keycol=id?datacol=domain,selector,path?filter=active=1";
    CliRunner.Result sql = genzone("-F", dsn);
    assertThat(sql.exit()).as(sql.err()).isZero();
    assertThat(body(sql)).isEqualTo(expected);
  }

  @Test
  void anLdapKeyTableIsListed() throws Exception {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig("dc=example,dc=com");
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig(
            "ldap", InetAddress.getByName("127.0.0.1"), 0, null));
    InMemoryDirectoryServer ldap = new InMemoryDirectoryServer(config);
    try {
      ldap.add("dn: dc=example,dc=com", "objectClass: domain", "dc: example");
      ldap.add("dn: ou=keys,dc=example,dc=com", "objectClass: organizationalUnit", "ou: keys");
      ldap.add("dn: cn=printer,ou=keys,dc=example,dc=com", "objectClass: device", "cn: printer");
      for (String[] row :
          new String[][] {
            {"k2", "example.org:sel2:" + dir.resolve("sel2.private")},
            {"k1", "example.com:sel1:" + dir.resolve("sel1.private")}
          }) {
        ldap.add(
            "dn: cn=" + row[0] + ",ou=keys,dc=example,dc=com",
            "objectClass: device",
            "cn: " + row[0],
            "description: " + row[1]);
      }
      ldap.startListening();
      String url = "ldap://127.0.0.1:" + ldap.getListenPort() + "/ou=keys,dc=example,dc=com";
      String expected = body(genzone("-F", "file:" + table));
      CliRunner.Result r = genzone("-F", url + "?description?one?(cn=$d)");
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(body(r)).isEqualTo(expected);

      CliRunner.Result unlistable = genzone(url + "?description?one?(mail=*@$d)");
      assertThat(unlistable.exit()).isEqualTo(2);
      assertThat(unlistable.err()).contains("cannot be listed", "(mail=*@$d)");
    } finally {
      ldap.shutDown(true);
    }
  }

  @Test
  void unreadableKeysAndSenderDomainsAreSkippedWithAWarning() throws Exception {
    Files.writeString(
        table,
        "k3 example.net:gone:"
            + dir.resolve("gone.private")
            + "\n"
            + "k4 %:any:"
            + dir.resolve("sel1.private")
            + "\n"
            + "k5 example.net:broken\n",
        java.nio.file.StandardOpenOption.APPEND);
    CliRunner.Result r = genzone("-F", table.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(records(r.outText()))
        .extracting(s -> s.substring(0, s.indexOf(' ')))
        .containsExactly("sel1._domainkey.example.com.", "sel2._domainkey.example.org.");
    assertThat(r.err())
        .contains("inkan genzone: skipped KeyTable " + table + ":3: k3: cannot read key file")
        .contains("k4: skipped: its domain is %")
        .contains("skipped malformed entry: KeyTable " + table + ":5: k5: expected");
  }

  @Test
  void soaNameServersAndOutputFile() throws Exception {
    Path out = dir.resolve("zone");
    CliRunner.Result r =
        genzone(
            "-S",
            "-C",
            "hostmaster@example.com",
            "-N",
            "ns1.example.com.,ns2.example.com.",
            "-d",
            "example.com",
            "-o",
            out.toString(),
            table.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outText()).isEmpty();
    String zone = Files.readString(out);
    assertThat(zone)
        .contains("; for example.com\n")
        .containsPattern(
            "@\\tIN\\tSOA\\tns1\\.example\\.com\\.\\thostmaster\\.example\\.com \\(\\n\\t20\\d{8} ")
        .contains("\tIN\tNS\tns1.example.com.\n\tIN\tNS\tns2.example.com.\n");
    assertThat(records(zone))
        .hasSize(1)
        .allMatch(s -> s.startsWith("sel1 - v=DKIM1;h=sha256;k=rsa;p="));
  }

  @Test
  void nsupdateInput() {
    CliRunner.Result r = genzone("-u", "-t", "600", "-N", "192.0.2.53", table.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> lines = r.outText().lines().toList();
    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).isEqualTo("server 192.0.2.53");
    assertThat(lines.get(1))
        .startsWith("update add sel1._domainkey.example.com. 600 IN TXT \"v=DKIM1; ");
    assertThat(lines.get(2)).isEqualTo("send");
    assertThat(lines.get(3)).startsWith("update add sel2._domainkey.example.org. 600 IN TXT ");
    assertThat(lines.get(4)).isEqualTo("send");
  }

  @Test
  void usageErrors() {
    assertThat(genzone().exit()).isEqualTo(2);
    CliRunner.Result unknown = genzone("memcache:localhost");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.err()).contains("not supported");
    assertThat(genzone("-k", table.toString(), table.toString()).exit()).isEqualTo(2);
    assertThat(genzone("--hashes", "sha256;", table.toString()).exit()).isEqualTo(2);
  }
}
