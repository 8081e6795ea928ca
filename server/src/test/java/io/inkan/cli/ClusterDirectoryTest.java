package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.MemcachedProcess;
import io.inkan.runtime.cluster.ClusterCertificates;
import io.inkan.testing.AuthoritativeDns;
import io.inkan.testing.ChildProcesses;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Slapd;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A signer node with its keys in a real slapd (SigningDirectory) and a front-end without any, with
 * key records in a real knotd cached in a real memcached: the directory's RSA and Ed25519 keys sign
 * through the front-end and verify there, and a key disabled in the directory stops signing within
 * seconds — the directory pushes the change to the signer, the signer announces it, the front-end
 * drops the choice it had cached for 300 s.
 */
class ClusterDirectoryTest {
  static final String BASE = SigningDirectoryTest.BASE;
  static final String MESSAGE =
      "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nHello.\r\n";

  @TempDir Path dir;

  @Test
  void directoryKeysSignThroughAFrontEndAndChangesReachIt() throws Exception {
    Slapd.require();
    AuthoritativeDns.require();
    MemcachedProcess.requireInstalled();
    ClusterCertificates ca = ClusterCertificates.newCa(dir, "dir");
    List<Process> nodes = new ArrayList<>();
    StringBuilder zone = new StringBuilder();
    AuthoritativeDns dns = null;
    try (Slapd slapd = Slapd.start();
        MemcachedProcess memcached = MemcachedProcess.start()) {
      slapd.add("dn: " + BASE + "\nobjectClass: top\nobjectClass: organizationalUnit\nou: dkim\n");
      Path password = dir.resolve("password");
      Files.writeString(password, slapd.rootPassword() + "\n");
      Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
      for (String[] add :
          List.of(
              new String[] {"--selector", "rsa1"},
              new String[] {"--selector", "ed1", "--ed25519"})) {
        List<String> args = new ArrayList<>(List.of("--domain", "example.org"));
        args.addAll(List.of(add));
        CliRunner.Result r =
            SigningDirectoryTest.keys(slapd, password, "add", args.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        zone.append(zoneLine(r.outText()));
      }
      dns = AuthoritativeDns.start(Map.of("example.org", zone.toString()));
      Path secret = Files.writeString(dir.resolve("secret"), "c".repeat(48) + "\n");
      Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
      String members = "127.0.0.6:" + freePort("127.0.0.6") + ",127.0.0.7:" + freePort("127.0.0.7");
      String[] member = members.split(",");
      Path socket = dir.resolve("fe.sock");
      String signer =
          "Mode s\nSigningDirectory "
              + slapd.url()
              + "/"
              + BASE
              + "\nLDAPBindUser "
              + slapd.rootDn()
              + "\nLDAPBindPassword "
              + slapd.rootPassword()
              + "\nClusterRole signer\n"
              + cluster(ca, "signer", member[0], members);
      String frontEnd =
          "Mode sv\nSocket local:"
              + socket
              + "\nNameservers 127.0.0.1:"
              + dns.port()
              + "\nQueryCache yes\nQueryCacheBackend memcache:127.0.0.1:"
              + memcached.port()
              + "\nQueryCacheTimeout 2000\nQueryCacheSecretFile "
              + secret
              + "\nAuthservID mx.example.net\nClusterRole frontend\n"
              + cluster(ca, "frontend", member[1], members);
      nodes.add(start(Files.writeString(dir.resolve("signer.conf"), signer), "signer"));
      nodes.add(start(Files.writeString(dir.resolve("frontend.conf"), frontEnd), "frontend"));
      awaitSigned(socket, nodes);

      // Mail signed through the front-end verifies there, from outside, with the key records
      // fetched from DNS and shared through memcached.
      String signed = MESSAGE;
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        for (MtaSimulator.Reply r : mta.message(MESSAGE)) {
          if (r.command() == 'i' && r.insertedHeader()[0].equals("DKIM-Signature")) {
            signed = "DKIM-Signature:" + r.insertedHeader()[1] + "\r\n" + signed;
          }
        }
      }
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("198.51.100.7");
        List<MtaSimulator.Reply> verdict = mta.message(signed);
        String ar =
            verdict.stream()
                .filter(r -> r.command() == 'i' || r.command() == 'h')
                .map(MtaSimulator.Reply::header)
                .filter(h -> h[0].equals("Authentication-Results"))
                .map(h -> h[1])
                .findFirst()
                .orElse("");
        assertThat(ar)
            .as("%s%n%s", verdict, logs())
            .contains("mx.example.net")
            .contains("header.s=rsa1")
            .contains("header.s=ed1");
        assertThat(ar.split("dkim=pass", -1)).hasSize(3);
      }
      assertThat(memcached.currItems())
          .as("key records shared in memcached")
          .isGreaterThanOrEqualTo(2);

      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        assertThat(selectors(mta)).containsExactlyInAnyOrder("rsa1", "ed1");
        CliRunner.Result off =
            SigningDirectoryTest.keys(
                slapd, password, "disable", "--domain", "example.org", "--selector", "ed1");
        assertThat(off.exit()).as(off.err()).isZero();
        long end = System.nanoTime() + 10_000_000_000L;
        List<String> now = selectors(mta);
        while (now.size() != 1 && System.nanoTime() < end) {
          Thread.sleep(100);
          now = selectors(mta);
        }
        assertThat(now).as("within 10 s of the change").containsExactly("rsa1");
      }
    } finally {
      nodes.forEach(p -> ChildProcesses.stop(p, 20));
      if (dns != null) {
        dns.close();
      }
    }
  }

  /** The record {@code inkan keys add} printed, as a zone-file line (its strings kept apart). */
  private static String zoneLine(String out) {
    Matcher name = Pattern.compile("(\\S+)\\._domainkey").matcher(out);
    assertThat(name.find()).as(out).isTrue();
    StringBuilder line = new StringBuilder(name.group(1) + "._domainkey 300 TXT");
    Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(out);
    while (quoted.find()) {
      line.append(" \"").append(quoted.group(1)).append('"');
    }
    return line.append('\n').toString();
  }

  private String cluster(ClusterCertificates ca, String name, String me, String members)
      throws Exception {
    ClusterCertificates.NodeFiles f = ca.node(dir, name);
    return "ClusterName dir-test-"
        + ProcessHandle.current().pid()
        + "\nClusterListen "
        + me
        + "\nClusterMembers "
        + members
        + "\nClusterCertificate "
        + f.certificate()
        + "\nClusterKey "
        + f.key()
        + "\nClusterCAFile "
        + ca.caFile()
        + "\n";
  }

  private Process start(Path conf, String name) throws IOException {
    return ServeProcess.start(conf, dir.resolve(name + ".log"));
  }

  /** Waits (up to two minutes) until the front-end signs: the cluster has formed. */
  private void awaitSigned(Path socket, List<Process> nodes) throws Exception {
    long end = System.nanoTime() + 120_000_000_000L;
    while (true) {
      for (Process p : nodes) {
        assertThat(p.isAlive()).as(logs()).isTrue();
      }
      if (MtaSimulator.accepts(socket)) {
        try (MtaSimulator mta = new MtaSimulator(socket)) {
          mta.open("127.0.0.1");
          if (!selectors(mta).isEmpty()) {
            return;
          }
        }
      }
      assertThat(System.nanoTime()).as(logs()).isLessThan(end);
      Thread.sleep(500);
    }
  }

  private String logs() throws IOException {
    StringBuilder sb = new StringBuilder();
    for (String n : List.of("signer", "frontend")) {
      Path log = dir.resolve(n + ".log");
      if (Files.exists(log)) {
        sb.append("--- ")
            .append(n)
            .append('\n')
            .append(Files.readString(log, StandardCharsets.ISO_8859_1));
      }
    }
    return sb.toString();
  }

  private static List<String> selectors(MtaSimulator mta) throws IOException {
    List<String> out = new ArrayList<>();
    for (MtaSimulator.Reply r : mta.message(MESSAGE)) {
      if (r.command() == 'i' && r.insertedHeader()[0].equals("DKIM-Signature")) {
        Matcher m = Pattern.compile("s=([^;\\s]+)").matcher(r.insertedHeader()[1]);
        out.add(m.find() ? m.group(1) : "");
      }
    }
    return out;
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }
}
