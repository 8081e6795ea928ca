package io.inkan.runtime.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cli.InkanMain;
import io.inkan.config.ClusterSettings;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.dns.TestKeysFile;
import io.inkan.keys.DkimKeyGenerator;
import io.inkan.testing.ChildProcesses;
import io.inkan.testing.MtaSimulator;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two front-ends and two signers, each an {@code inkan serve} JVM of its own on its own loopback
 * address, forming one Hazelcast membership with the event bus over mutual TLS: mail signed through
 * either front-end verifies, a front-end's heap holds no private key, a process without a cluster
 * certificate gets no signature, and a signer killed under load costs tempfails, never an unsigned
 * message.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
  static final String MESSAGE =
      "From: Joe <joe@example.com>\r\n"
          + "To: Ann <ann@example.net>\r\n"
          + "Subject: clustered\r\n"
          + "Message-ID: <c1@example.com>\r\n"
          + "\r\n"
          + "Signed by a signer node.\r\n";

  @TempDir static Path dir;
  static ClusterCertificates ca;
  static final List<String> members = new ArrayList<>();
  static final Process[] nodes = new Process[4];
  static final Path[] confs = new Path[4];
  static final DkimKeyGenerator.Generated[] keys = new DkimKeyGenerator.Generated[2];
  static Path dns;
  static String clusterName;

  @BeforeAll
  static void startCluster() throws Exception {
    ca = ClusterCertificates.newCa(dir, "inkan");
    keys[0] = DkimKeyGenerator.generate(KeyType.RSA, 2048);
    keys[1] = DkimKeyGenerator.generate(KeyType.ED25519, 0);
    Path rsa = privateFile("rsa.private", keys[0].privateKeyPem());
    Path ed = privateFile("ed.private", keys[1].privateKeyPem());
    Files.writeString(
        dir.resolve("keytable"),
        "rsa example.com:rsa:" + rsa + "\ned example.com:ed:" + ed + ":ed25519-sha256\n");
    Files.writeString(dir.resolve("signingtable"), "joe@example.com ed\nexample.com rsa\n");
    dns =
        Files.writeString(
            dir.resolve("dns"),
            "rsa._domainkey.example.com v=DKIM1; k=rsa; p="
                + keys[0].key().publicKeyBase64()
                + "\ned._domainkey.example.com v=DKIM1; k=ed25519; p="
                + keys[1].key().publicKeyBase64()
                + "\n");
    clusterName = "test-" + ProcessHandle.current().pid();
    for (int i = 0; i < 4; i++) {
      members.add("127.0.0." + (i + 2) + ":" + freePort("127.0.0." + (i + 2)));
    }
    for (int i = 0; i < 4; i++) {
      confs[i] = conf(i);
    }
    for (int i = 0; i < 4; i++) {
      nodes[i] = start(i);
    }
    for (int i = 0; i < 2; i++) {
      awaitLog(i, "signer serving", Duration.ofSeconds(120));
    }
    for (int i = 2; i < 4; i++) {
      awaitSocket(i, Duration.ofSeconds(120));
    }
  }

  @AfterAll
  static void stopCluster() throws IOException {
    for (Process p : nodes) {
      if (p != null) {
        ChildProcesses.stop(p, 20);
      }
    }
    // the nodes' logs outlive the temporary directory, for a failed run's reader
    Path keep = Files.createDirectories(Paths.get("target", "cluster-test"));
    for (int i = 0; i < 4; i++) {
      Path log = dir.resolve("node" + i + ".log");
      if (Files.exists(log)) {
        Files.copy(
            log,
            keep.resolve(log.getFileName()),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  @Test
  @Order(1)
  void mailSignedThroughEitherFrontEndVerifies() throws Exception {
    for (int fe = 2; fe < 4; fe++) {
      awaitSigning(fe);
      List<MtaSimulator.Reply> replies = send(fe);
      List<String[]> signatures =
          replies.stream()
              .filter(r -> r.command() == 'i')
              .map(MtaSimulator.Reply::insertedHeader)
              .filter(h -> h[0].equals("DKIM-Signature"))
              .toList();
      assertThat(signatures).as("front-end %d", fe).hasSize(2);
      String signed = MESSAGE;
      for (String[] h : signatures) {
        signed = h[0] + ":" + h[1] + "\r\n" + signed;
      }
      List<VerificationResult> results = verify(signed);
      assertThat(results).hasSize(2).allMatch(VerificationResult::passed);
      assertThat(String.join(" ", signatures.get(0)[1], signatures.get(1)[1]))
          .contains("a=rsa-sha256")
          .contains("a=ed25519-sha256");
    }
  }

  @Test
  @Order(2)
  void aFrontEndIsReadyWhenASignerAnswers() throws Exception {
    awaitSigning(2);
    String log = Files.readString(dir.resolve("node2.log"), StandardCharsets.ISO_8859_1);
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("admin endpoint on (http://127\\.0\\.0\\.1:\\d+)/")
            .matcher(log);
    assertThat(m.find()).as(log).isTrue();
    java.net.http.HttpResponse<String> ready =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(m.group(1) + "/health/ready"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(ready.body()).contains("cluster signers").contains("a signer answered");
  }

  @Test
  @Order(3)
  void frontEndHeapsHoldNoPrivateKey() throws Exception {
    send(2);
    send(3);
    // The search must be able to find a key: a signer's heap holds the Ed25519 one (its RSA key
    // may live in the accelerated provider's native memory, out of any heap dump).
    byte[] signerHeap = heapDump(0);
    assertThat(keyForms(keys[1]).stream().anyMatch(form -> contains(signerHeap, form)))
        .as("a signer's heap holds its Ed25519 key")
        .isTrue();
    for (int fe = 2; fe < 4; fe++) {
      byte[] heap = heapDump(fe);
      for (DkimKeyGenerator.Generated k : keys) {
        for (byte[] form : keyForms(k)) {
          assertThat(contains(heap, form))
              .as("front-end %d heap holds a form of the %s key", fe, k.key().type())
              .isFalse();
        }
      }
    }
  }

  @Test
  @Order(4)
  void aProcessWithoutAClusterCertificateGetsNoSignature() throws Exception {
    ClusterCertificates other = ClusterCertificates.newCa(dir, "outsider");
    ClusterCertificates.NodeFiles files = other.node(dir, "outsider");
    String me = "127.0.0.9:" + freePort("127.0.0.9");
    List<ClusterSettings.HostPort> all = new ArrayList<>();
    for (String m : members) {
      all.add(hostPort(m));
    }
    ClusterSettings outsider =
        new ClusterSettings(
            java.util.Set.of(ClusterSettings.Role.FRONTEND),
            clusterName,
            Optional.of(hostPort(me)),
            all,
            Optional.empty(),
            Optional.of(files.certificate()),
            Optional.of(files.key()),
            Optional.of(ca.caFile()), // it trusts the cluster; the cluster does not trust it
            2000,
            1,
            60,
            Optional.empty());
    Vertx vertx =
        ClusterNode.start(outsider)
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    try {
      ClusterManager manager = ((VertxInternal) vertx).clusterManager();
      // Hazelcast's open-source membership lets it in ...
      assertThat(manager.getNodes()).hasSize(5);
      // ... but no node's event bus serves it.
      JsonObject sign =
          new JsonObject()
              .put("v", 1)
              .put(
                  "ref",
                  new JsonObject().put("dir", false).put("name", "rsa").put("from", "example.com"))
              .put("a", "rsa-sha256")
              .put("form", "block")
              .put(
                  "data",
                  Base64.getEncoder().encodeToString("x".getBytes(StandardCharsets.US_ASCII)));
      for (String address : List.of(SignerProtocol.SIGN, SignerProtocol.KEYS)) {
        Throwable failure =
            vertx
                .eventBus()
                .request(address, sign, new DeliveryOptions().setSendTimeout(3000))
                .toCompletionStage()
                .toCompletableFuture()
                .handle((ok, err) -> err)
                .get(10, TimeUnit.SECONDS);
        assertThat(failure).as("request to %s", address).isNotNull();
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
  }

  @Test
  @Order(5)
  void aSignerKilledUnderLoadCostsTempfailsNotUnsignedMail() throws Exception {
    LoadRun load = LoadRun.start(List.of(socket(2), socket(3)), MESSAGE, 2);
    Thread.sleep(2000);
    long killedAt = System.nanoTime();
    nodes[0].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    Thread.sleep(10_000);
    LoadRun.Tally afterKill = load.stop();
    assertThat(afterKill.unsigned()).as("accepted unsigned").isZero();
    assertThat(afterKill.errors()).as("client errors").isZero();
    assertThat(afterKill.signedAfter(killedAt)).as("signed after the kill").isPositive();
    Duration window = afterKill.tempfailWindow();
    System.out.printf(
        "cluster failover: %d signed, %d tempfailed, tempfail window %d ms%n",
        afterKill.signed(), afterKill.tempfailed(), window.toMillis());
    assertThat(window).isLessThan(Duration.ofSeconds(30));

    // The killed signer comes back and takes the load when the other one goes.
    nodes[0] = start(0);
    awaitLog(0, "signer serving", Duration.ofSeconds(120));
    nodes[1].destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    LoadRun again = LoadRun.start(List.of(socket(2), socket(3)), MESSAGE, 1);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline && again.signedSoFar() < 20) {
      Thread.sleep(200);
    }
    LoadRun.Tally restarted = again.stop();
    assertThat(restarted.unsigned()).isZero();
    assertThat(restarted.signed()).as("signed by the restarted signer").isGreaterThanOrEqualTo(20);
  }

  // --- harness ---

  /**
   * Waits until a front-end signs (a cold cluster tempfails while its first TLS handshakes run on a
   * loaded machine), failing after a minute.
   */
  private static void awaitSigning(int fe) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      List<MtaSimulator.Reply> replies = send(fe);
      if (replies.stream().anyMatch(r -> r.command() == 'i')) {
        return;
      }
      assertThat(replies.get(replies.size() - 1).command())
          .as("a front-end without a signer tempfails")
          .isEqualTo('t');
      assertThat(System.nanoTime()).as("front-end %d never signed", fe).isLessThan(deadline);
      Thread.sleep(500);
    }
  }

  private static List<MtaSimulator.Reply> send(int node) throws IOException {
    try (MtaSimulator mta = new MtaSimulator(socket(node))) {
      mta.open("127.0.0.1");
      return mta.message(MESSAGE);
    }
  }

  private static List<VerificationResult> verify(String message) throws Exception {
    VerificationSession v =
        new DkimVerifier(VerifierSettings.defaults(), TestKeysFile.load(dns)).newSession();
    MessageParser parser = new MessageParser(v);
    byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
    parser.update(b, 0, b.length);
    parser.finish();
    return v.finish(Runnable::run).toCompletableFuture().join();
  }

  /** The forms a private key could sit in memory as: DER (PKCS#8, PKCS#1), base64, raw seed. */
  private static List<byte[]> keyForms(DkimKeyGenerator.Generated k) throws Exception {
    List<byte[]> forms = new ArrayList<>();
    byte[] pkcs8 = k.key().privateKey().getEncoded();
    forms.add(pkcs8);
    String pem = k.privateKeyPem();
    String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    forms.add(der);
    forms.add(body.substring(0, Math.min(64, body.length())).getBytes(StandardCharsets.US_ASCII));
    forms.add(
        Base64.getEncoder()
            .encodeToString(pkcs8)
            .substring(0, 60)
            .getBytes(StandardCharsets.US_ASCII));
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
    byte[] inner = info.parsePrivateKey().toASN1Primitive().getEncoded();
    if (k.key().type() == KeyType.RSA) {
      forms.add(inner); // PKCS#1 RSAPrivateKey
      // BigInteger magnitudes (private exponent, primes): a heap dump writes them big-endian
      java.security.interfaces.RSAPrivateCrtKey rsa =
          (java.security.interfaces.RSAPrivateCrtKey)
              java.security.KeyFactory.getInstance("RSA")
                  .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(pkcs8));
      for (java.math.BigInteger n :
          List.of(rsa.getPrivateExponent(), rsa.getPrimeP(), rsa.getPrimeQ())) {
        byte[] mag = n.toByteArray();
        forms.add(java.util.Arrays.copyOfRange(mag, mag.length - 64, mag.length));
      }
    } else {
      byte[] seed = new byte[32]; // an OCTET STRING of the 32-byte seed
      System.arraycopy(inner, inner.length - 32, seed, 0, 32);
      forms.add(seed);
    }
    return forms;
  }

  private static byte[] heapDump(int node) throws Exception {
    Path out = dir.resolve("heap-" + node + "-" + System.nanoTime() + ".hprof");
    Process jmap =
        new ProcessBuilder(
                Paths.get(System.getProperty("java.home"), "bin", "jmap").toString(),
                "-dump:format=b,file=" + out,
                Long.toString(nodes[node].pid()))
            .redirectErrorStream(true)
            .start();
    String said = new String(jmap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(jmap.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(jmap.exitValue()).as(said).isZero();
    byte[] heap = Files.readAllBytes(out);
    Files.delete(out);
    return heap;
  }

  static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i <= hay.length - needle.length; i++) {
      if (hay[i] != needle[0]) {
        continue;
      }
      for (int j = 1; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static Path privateFile(String name, String pem) throws IOException {
    Path p = Files.writeString(dir.resolve(name), pem);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  private static Path conf(int i) throws Exception {
    boolean signer = i < 2;
    String name = (signer ? "signer" : "frontend") + i;
    ClusterCertificates.NodeFiles files = ca.node(dir, name);
    StringBuilder c = new StringBuilder();
    if (signer) {
      c.append("Mode s\nKeyTable ")
          .append(dir.resolve("keytable"))
          .append("\nSigningTable ")
          .append(dir.resolve("signingtable"))
          .append("\nClusterRole signer\n");
    } else {
      c.append("Mode sv\nSocket local:")
          .append(socket(i))
          .append("\nTestPublicKeys ")
          .append(dns)
          .append("\nAdminListen 127.0.0.1:0\nClusterRole frontend\n");
    }
    c.append("MultipleSignatures yes\n")
        .append("ClusterName ")
        .append(clusterName)
        .append("\nClusterListen ")
        .append(members.get(i))
        .append("\nClusterMembers ")
        .append(String.join(",", members))
        .append("\nClusterCertificate ")
        .append(files.certificate())
        .append("\nClusterKey ")
        .append(files.key())
        .append("\nClusterCAFile ")
        .append(ca.caFile())
        .append("\n");
    return Files.writeString(dir.resolve(name + ".conf"), c.toString());
  }

  private static Process start(int i) throws IOException {
    Path log = dir.resolve("node" + i + ".log");
    return new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            InkanMain.class.getName(),
            "serve",
            "-x",
            confs[i].toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  static Path socket(int i) {
    return dir.resolve("fe" + i + ".sock");
  }

  /** Waits until the node's log has {@code text} after its last join (so after a restart too). */
  private static void awaitLog(int i, String text, Duration wait) throws Exception {
    Path log = dir.resolve("node" + i + ".log");
    long deadline = System.nanoTime() + wait.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        String s = Files.readString(log, StandardCharsets.ISO_8859_1);
        int lastJoin = s.lastIndexOf("joined cluster");
        if (lastJoin >= 0 && s.indexOf(text, lastJoin) >= 0) {
          return;
        }
      }
      if (!nodes[i].isAlive()) {
        throw new AssertionError("node " + i + " exited:\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "node " + i + " never logged '" + text + "':\n" + Files.readString(log));
  }

  private static void awaitSocket(int i, Duration wait) throws Exception {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!MtaSimulator.accepts(socket(i))) {
      if (!nodes[i].isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError(
            "front-end "
                + i
                + " not serving:\n"
                + Files.readString(dir.resolve("node" + i + ".log")));
      }
      Thread.sleep(200);
    }
  }

  private static int freePort(String host) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
      return s.getLocalPort();
    }
  }

  private static ClusterSettings.HostPort hostPort(String text) {
    int colon = text.lastIndexOf(':');
    return new ClusterSettings.HostPort(
        text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
  }
}
