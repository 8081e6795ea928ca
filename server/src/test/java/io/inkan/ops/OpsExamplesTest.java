package io.inkan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.MemcachedProcess;
import io.inkan.cli.InkanTestServer;
import io.inkan.testing.Prerequisites;
import io.inkan.testing.Slapd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed talk's three deployments in {@code ops/examples/}, each installed below a temporary root
 * with its keys made as its README says, checked with {@code inkan serve -n}, started, and sent
 * mail through the milter protocol: internal (or authenticated) mail comes back with a
 * DKIM-Signature, outside mail with Authentication-Results. DNS is replaced by the records the
 * operator would publish ({@code TestPublicKeys}); LDAP and memcached are real servers.
 */
class OpsExamplesTest {
  private static final String OUTSIDE = "203.0.113.9";

  @TempDir Path tmp;

  @Test
  void singleDomainSignsLocalMailAndVerifiesTheRest() throws Exception {
    ExampleDeployment ex = ExampleDeployment.install("single-domain", tmp);
    Path keyDir = Files.createDirectories(ex.path("/etc/inkan/keys/example.com"));
    genkey(keyDir, "example.com", "default", false);
    assertThat(Path.of(ex.value("KeyFile"))).isEqualTo(keyDir.resolve("default.private"));
    Path dns =
        new TestKeyRecords()
            .genkeyRecord("example.com", "default", keyDir.resolve("default.txt"))
            .write(tmp.resolve("dns"));
    ex.append("TestPublicKeys " + dns);
    ex.forCheck();
    assertValid(ex);
    assertSucceeds("testkey", "-x", ex.conf().toString());

    Path socket = ex.forServing("inkan.sock");
    try (InkanTestServer server = InkanTestServer.start(ex.conf())) {
      String message = message("joe@example.com");
      MilterProbe.Outcome local = MilterProbe.send(socket, "127.0.0.1", message);
      assertThat(local.signatures()).as("%s", local).hasSize(1);
      assertThat(MilterProbe.tag(local.signatures().get(0), "d")).isEqualTo("example.com");
      assertThat(MilterProbe.tag(local.signatures().get(0), "s")).isEqualTo("default");
      assertThat(MilterProbe.tag(local.signatures().get(0), "c")).isEqualTo("relaxed/simple");

      MilterProbe.Outcome outside = MilterProbe.send(socket, OUTSIDE, local.signed(message));
      assertThat(outside.signatures()).isEmpty();
      assertThat(outside.authenticationResults())
          .singleElement()
          .asString()
          .contains("mail.example.com")
          .contains("dkim=pass header.d=example.com");
    }
  }

  @Test
  void gatewaySignsForInternalNetworksPerDomainAndResignsForwardedMail() throws Exception {
    ExampleDeployment ex = ExampleDeployment.install("gateway", tmp.resolve("gw"));
    Path dns = makeKeyTableKeys(ex).write(tmp.resolve("dns"));
    ex.append("TestPublicKeys " + dns);
    ex.forCheck();
    assertValid(ex);
    OpsCli.Result testkey = assertSucceeds("testkey", "-x", ex.conf().toString());
    assertThat(testkey.out().lines().filter(l -> l.contains("key OK"))).hasSize(4);
    OpsCli.Result zone = assertSucceeds("genzone", "-F", "-x", ex.conf().toString());
    assertThat(zone.out())
        .contains("gw2026._domainkey.example.com.", "ed2026._domainkey.example.com.")
        .contains("gw2026._domainkey.example.net.", "gw2026._domainkey.example.org.");

    Path socket = ex.forServing("inkan.sock");
    String message = message("joe@example.com");
    String signed;
    try (InkanTestServer server = InkanTestServer.start(ex.conf())) {
      MilterProbe.Outcome internal = MilterProbe.send(socket, "192.168.10.40", message);
      assertThat(internal.signatures()).as("%s", internal).hasSize(2);
      assertThat(internal.signatures().stream().map(s -> MilterProbe.tag(s, "s")))
          .containsExactlyInAnyOrder("gw2026", "ed2026");
      assertThat(internal.signatures().stream().map(s -> MilterProbe.tag(s, "d")))
          .containsOnly("example.com");
      signed = internal.signed(message);

      MilterProbe.Outcome sub =
          MilterProbe.send(socket, "10.20.3.4", message("ann@sales.example.com"));
      assertThat(sub.signatures()).as("%s", sub).singleElement();
      assertThat(MilterProbe.tag(sub.signatures().get(0), "d")).isEqualTo("example.com");
      MilterProbe.Outcome net = MilterProbe.send(socket, "172.16.8.1", message("bo@example.net"));
      assertThat(MilterProbe.tag(net.signatures().get(0), "d")).isEqualTo("example.net");

      MilterProbe.Outcome outside = MilterProbe.send(socket, OUTSIDE, signed);
      assertThat(outside.signatures()).isEmpty();
      assertThat(outside.authenticationResults())
          .singleElement()
          .asString()
          .contains("mx.example.com")
          .contains("dkim=pass header.d=example.com header.i=@example.com header.s=gw2026")
          .contains("header.s=ed2026");
    }

    // ResignMailTo: the simulator always sends to rcpt@example.net; list it as a forwarding
    // address, as alumni@example.org is, and outside mail to it leaves verified and re-signed.
    Files.writeString(
        ex.path("/etc/inkan/ResignMailTo"),
        "rcpt@example.net gw2026._domainkey.example.org\n",
        StandardOpenOption.APPEND);
    Path socket2 = ex.forServing("inkan2.sock");
    try (InkanTestServer server = InkanTestServer.start(ex.conf())) {
      MilterProbe.Outcome forwarded = MilterProbe.send(socket2, OUTSIDE, signed);
      assertThat(forwarded.authenticationResults())
          .singleElement()
          .asString()
          .contains("dkim=pass");
      assertThat(forwarded.signatures()).as("%s", forwarded).singleElement();
      assertThat(MilterProbe.tag(forwarded.signatures().get(0), "d")).isEqualTo("example.org");
    }
  }

  @Test
  void gatewayOnANonLoopbackSocketNamesItsMtas() throws Exception {
    ExampleDeployment ex = ExampleDeployment.install("gateway", tmp);
    makeKeyTableKeys(ex);
    ex.forCheck();
    ex.uncomment("Socket");
    assertThat(ex.value("Socket")).isEqualTo("inet:8891@192.168.10.25");
    OpsCli.Result refused = OpsCli.run("serve", "-x", ex.conf().toString(), "-n");
    assertThat(refused.exit()).as("%s", refused).isEqualTo(78);
    assertThat(refused.err()).contains("MilterAllowedClients");
    ex.uncomment("MilterAllowedClients");
    assertValid(ex);
  }

  @Test
  void ispSignsWithEveryActiveKeyOfTheLdapTreeAndSharesKeyRecordsThroughMemcached()
      throws Exception {
    try (Slapd slapd = SampleDirectory.start();
        MemcachedProcess memcached = startMemcachedOrNull()) {
      ExampleDeployment ex = isp(tmp, slapd, memcached);
      assertThat(ex.value("SigningDirectory")).startsWith(slapd.url() + "/ou=dkim,");
      assertValid(ex);
      Path socket = ex.forServing("inkan.sock");
      String message = message("joe@example.com");
      try (InkanTestServer server = InkanTestServer.start(ex.conf())) {
        MilterProbe.Outcome customer =
            MilterProbe.send(socket, "198.51.100.20", message, "{auth_authen}", "joe");
        assertThat(customer.signatures()).as("%s", customer).hasSize(2);
        assertThat(customer.signatures().stream().map(s -> MilterProbe.tag(s, "s")))
            .containsExactlyInAnyOrder("rsa2026", "ed2026");
        assertThat(signatureSelectors(socket, "bo@example.net")).containsExactly("net2026");

        MilterProbe.Outcome anonymous = MilterProbe.send(socket, OUTSIDE, message);
        assertThat(anonymous.signatures()).as("unauthenticated outside mail").isEmpty();
        MilterProbe.Outcome incoming = MilterProbe.send(socket, OUTSIDE, customer.signed(message));
        assertThat(incoming.authenticationResults())
            .singleElement()
            .asString()
            .contains("mx.example.com")
            .contains("header.s=rsa2026")
            .contains("header.s=ed2026")
            .doesNotContain("dkim=fail");
        if (memcached != null) {
          assertThat(eventually(() -> memcached.currItems() > 0))
              .as("key records stored in memcached")
              .isTrue();
        }
      }
    }
  }

  @Test
  void ispReadsTheSameTreeThroughOpenDkimStyleUrls() throws Exception {
    try (Slapd slapd = SampleDirectory.start();
        MemcachedProcess memcached = startMemcachedOrNull()) {
      ExampleDeployment ex = isp(tmp, slapd, memcached);
      ex.remove("SigningDirectory");
      ex.uncomment("Include");
      assertValid(ex);
      Path socket = ex.forServing("inkan.sock");
      String message = message("joe@example.com");
      try (InkanTestServer server = InkanTestServer.start(ex.conf())) {
        MilterProbe.Outcome customer =
            MilterProbe.send(socket, "198.51.100.20", message, "{auth_authen}", "joe");
        assertThat(customer.signatures()).as("%s", customer).singleElement();
        assertThat(MilterProbe.tag(customer.signatures().get(0), "d")).isEqualTo("example.com");
        assertThat(signatureSelectors(socket, "bo@example.net")).containsExactly("net2026");
        MilterProbe.Outcome incoming = MilterProbe.send(socket, OUTSIDE, customer.signed(message));
        assertThat(incoming.authenticationResults())
            .singleElement()
            .asString()
            .contains("dkim=pass header.d=example.com");
      }
    }
  }

  @Test
  void postfixSnippetsUseOnlyKnownParameters() throws Exception {
    Path postconf = Path.of("/usr/sbin/postconf");
    Prerequisites.require(Files.isExecutable(postconf), "postconf (Debian package postfix)");
    List<Path> snippets =
        List.of(
            ExampleDeployment.exampleDir("single-domain").resolve("postfix-main.cf"),
            ExampleDeployment.exampleDir("gateway").resolve("postfix-main.cf"),
            ExampleDeployment.exampleDir("isp").resolve("postfix-main.cf"),
            Prerequisites.repoDir().resolve("ops/systemd/postfix-main.cf"));
    for (Path snippet : snippets) {
      Path dir = Files.createDirectories(tmp.resolve(UUID.randomUUID().toString()));
      Files.copy(snippet, dir.resolve("main.cf"));
      Path master = snippet.resolveSibling("postfix-master.cf");
      if (Files.exists(master)) {
        Files.copy(master, dir.resolve("master.cf"));
      } else {
        Files.writeString(dir.resolve("master.cf"), "");
      }
      String main = OpsProcesses.run(postconf.toString(), "-c", dir.toString(), "-n");
      assertThat(main).as(snippet.toString()).doesNotContain("warning").contains("smtpd_milters");
      String services = OpsProcesses.run(postconf.toString(), "-c", dir.toString(), "-P");
      assertThat(services).as(master.toString()).doesNotContain("warning");
    }
  }

  @Test
  void theSystemdUnitVerifies() throws Exception {
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    Assumptions.assumeTrue(
        Files.isExecutable(analyze),
        "systemd-analyze (Debian package systemd) is missing; not verifying ops/systemd");
    Path unitDir = Prerequisites.repoDir().resolve("ops/systemd");
    String unit = Files.readString(unitDir.resolve("inkan.service"));
    assertThat(unit)
        .contains("ExecStart=/usr/bin/inkan serve -x /etc/inkan/inkan.conf\n")
        .contains("ExecReload=/bin/kill -USR1 $MAINPID\n");
    // verify wants ExecStart's program to exist: a stand-in for the packaged launcher
    Path launcher = Files.writeString(tmp.resolve("inkan"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path copy =
        Files.writeString(
            tmp.resolve("inkan.service"), unit.replace("/usr/bin/inkan ", launcher + " "));
    assertThat(OpsProcesses.run(analyze.toString(), "verify", copy.toString())).isEmpty();
    Path dropIns = Files.createDirectories(tmp.resolve("inkan.service.d"));
    Files.copy(unitDir.resolve("run-as-user.conf"), dropIns.resolve("run-as-user.conf"));
    assertThat(OpsProcesses.run(analyze.toString(), "verify", copy.toString())).isEmpty();
  }

  @Test
  void theSendmailLineIsTheMainReadmes() throws Exception {
    Path repo = Prerequisites.repoDir();
    String line =
        Files.readAllLines(repo.resolve("ops/systemd/sendmail.mc")).stream()
            .filter(l -> l.startsWith("INPUT_MAIL_FILTER("))
            .findFirst()
            .orElseThrow();
    assertThat(Files.readString(repo.resolve("README.md"))).contains(line);
    assertThat(Files.readString(ExampleDeployment.exampleDir("single-domain").resolve("README.md")))
        .contains(line);
  }

  /**
   * Example 3 installed with the test's slapd (and a dead second server, for the failover list),
   * memcached, a cache secret and the sample tree's key records.
   */
  private ExampleDeployment isp(Path root, Slapd slapd, MemcachedProcess memcached)
      throws Exception {
    ExampleDeployment ex = ExampleDeployment.install("isp", root);
    ex.replaceEverywhere("ldap://ldap1.example.com", slapd.url());
    ex.replaceEverywhere("ldap://ldap2.example.com", "ldap://127.0.0.1:" + Slapd.freePort());
    ex.set("LDAPUseTLS", "no"); // the test slapd has no certificate
    if (memcached != null) {
      ex.set("QueryCacheBackend", "memcache:127.0.0.1:" + memcached.port());
      Path secret = Path.of(ex.value("QueryCacheSecretFile"));
      Files.writeString(secret, Base64.getEncoder().encodeToString(randomBytes(48)) + "\n");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
    } else {
      ex.remove("QueryCacheBackend");
      ex.remove("QueryCacheSecretFile");
    }
    ex.append("TestPublicKeys " + SampleDirectory.publishedKeys().write(tmp.resolve("dns")));
    ex.forCheck();
    return ex;
  }

  /**
   * The selectors of the signatures on a message an authenticated customer sends as {@code from}.
   */
  private static List<String> signatureSelectors(Path socket, String from) throws IOException {
    MilterProbe.Outcome o =
        MilterProbe.send(socket, "198.51.100.21", message(from), "{auth_authen}", "customer");
    return o.signatures().stream().map(s -> MilterProbe.tag(s, "s")).toList();
  }

  /** A private memcached, or null (with a message) when it is not installed outside CI. */
  private static MemcachedProcess startMemcachedOrNull() throws IOException, InterruptedException {
    if (!Files.isExecutable(MemcachedProcess.BINARY) && !Prerequisites.onCi()) {
      System.err.println(
          "OpsExamplesTest: memcached (Debian package memcached) is missing; testing example 3"
              + " without its QueryCacheBackend");
      return null;
    }
    return MemcachedProcess.start();
  }

  /**
   * Makes every key a KeyTable names, with {@code inkan genkey} as the gateway README does (Ed25519
   * for selectors starting with {@code ed}), and returns their records.
   */
  private static TestKeyRecords makeKeyTableKeys(ExampleDeployment ex) throws IOException {
    TestKeyRecords records = new TestKeyRecords();
    for (String line : Files.readAllLines(Path.of(ex.value("KeyTable").replace("file:", "")))) {
      String entry = line.replaceFirst("#.*", "").strip();
      if (entry.isEmpty()) {
        continue;
      }
      String[] value = entry.split("\\s+", 2)[1].split(":", 3);
      Path key = Path.of(value[2]);
      assertThat(key.getFileName().toString()).isEqualTo(value[1] + ".private");
      Path dir = Files.createDirectories(key.getParent());
      genkey(dir, value[0], value[1], value[1].startsWith("ed"));
      records.genkeyRecord(value[0], value[1], dir.resolve(value[1] + ".txt"));
    }
    return records;
  }

  private static void genkey(Path dir, String domain, String selector, boolean ed25519) {
    if (ed25519) {
      assertSucceeds("genkey", "--ed25519", "-D", dir.toString(), "-d", domain, "-s", selector);
    } else {
      assertSucceeds("genkey", "-D", dir.toString(), "-d", domain, "-s", selector);
    }
  }

  /**
   * {@code inkan serve -x CONF -n}: exit 0. In this JVM, but for configurations that reach a
   * directory: a checked configuration is not closed (the command's process ends instead), and its
   * LDAP key-change listener would go on retrying for the rest of the test run.
   */
  private static void assertValid(ExampleDeployment ex) throws Exception {
    String[] args = {"serve", "-x", ex.conf().toString(), "-n"};
    OpsCli.Result r = ex.mentions("ldap://") ? OpsCli.runInOwnJvm(args) : OpsCli.run(args);
    assertThat(r.exit()).as("inkan %s\n%s", String.join(" ", args), r).isZero();
    assertThat(r.out()).contains("is valid");
  }

  private static OpsCli.Result assertSucceeds(String... args) {
    OpsCli.Result r = OpsCli.run(args);
    assertThat(r.exit()).as("inkan %s\n%s", String.join(" ", args), r).isZero();
    return r;
  }

  private static String message(String from) {
    String host = from.substring(from.indexOf('@') + 1);
    return "From: Joe <"
        + from
        + ">\r\nTo: ann@example.net\r\nSubject: ops example\r\n"
        + "Date: Sun, 29 Nov 2026 10:00:00 +0000\r\nMessage-ID: <"
        + UUID.randomUUID()
        + "@"
        + host
        + ">\r\n\r\nSent through one of the ops/examples deployments.\r\n";
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  /** Polls {@code condition} for up to 5 seconds. */
  private static boolean eventually(OpsProcesses.Check condition) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return true;
      }
      Thread.sleep(50);
    }
    return condition.holds();
  }
}
