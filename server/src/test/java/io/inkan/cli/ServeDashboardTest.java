package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.bench.BenchCommand;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.runtime.CryptoExecutor;
import io.inkan.runtime.MilterServer;
import io.inkan.runtime.admin.HeadlessChromium;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Prerequisites;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The dashboard in a real browser: Inkan starts with {@code AdminListen}, headless Chromium loads
 * {@code /}, {@code inkan bench} signs and verifies through the milter, and the numbers on the page
 * must move, the in-process query cache's hit rate among them. The page is saved as {@code
 * dashboard.png} in the build folder.
 */
class ServeDashboardTest {
  private static final String MESSAGE =
      "From: Joe <joe@example.com>\nTo: ann@example.net\nSubject: dashboard\n"
          + "Date: Sat, 28 Nov 2026 10:00:00 +0000\nMessage-ID: <dash@example.com>\n\n"
          + "Load for the dashboard.\n";
  private static final String TOTAL =
      "document.getElementById('total-messages').textContent.replace(/,/g, '')";

  @TempDir Path dir;

  @Test
  void numbersMoveWhileBenchRuns() throws Exception {
    Prerequisites.require(
        HeadlessChromium.installed(), "Chromium (Debian packages chromium and chromium-driver)");
    Path key = dir.resolve("sel.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String publicKey = PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
    Files.writeString(dir.resolve("keys"), "k %:sel:" + key + "\n");
    Files.writeString(dir.resolve("signing"), "*@*example.com k\n");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Mode sv\nSocket local:"
                + dir.resolve("inkan.sock")
                + "\nKeyTable file:"
                + dir.resolve("keys")
                + "\nSigningTable refile:"
                + dir.resolve("signing")
                + "\nTestPublicKeys "
                + Files.writeString(
                    dir.resolve("dns"), "sel._domainkey.example.com v=DKIM1; p=" + publicKey + "\n")
                + "\nExternalIgnoreList csl:198.51.100.7\nQueryCache yes\nAdminListen 127.0.0.1:0\n");
    Path message = Files.writeString(dir.resolve("message.eml"), MESSAGE);
    Vertx vertx = Vertx.vertx();
    CryptoExecutor crypto = new CryptoExecutor();
    ServeRuntime runtime = ServeRuntime.start(ServeCommand.load(conf), crypto, false);
    MilterServer server = runtime.listen(vertx);
    int port = runtime.adminServer().orElseThrow().actualPort();
    Path signed = signedCopy(dir.resolve("inkan.sock"), message);
    Files.createDirectories(dir.resolve("profile"));
    try (HeadlessChromium browser = HeadlessChromium.launch(dir.resolve("profile"), 1400, 1600)) {
      browser.navigate("http://127.0.0.1:" + port + "/");
      String before = waitFor(browser, TOTAL, v -> !v.equals("–"));
      long start = Long.parseLong(before); // the message signed for the verifying bench

      List<CompletableFuture<Integer>> benches = new ArrayList<>();
      String socket = "local:" + dir.resolve("inkan.sock");
      benches.add(bench(socket, message, "127.0.0.1", "4", "--domains", "6"));
      benches.add(bench(socket, signed, "198.51.100.7", "2"));
      Thread.sleep(4000);
      long first = Long.parseLong(String.valueOf(browser.evaluate(TOTAL)));
      Thread.sleep(4000);
      long second = Long.parseLong(String.valueOf(browser.evaluate(TOTAL)));
      assertThat(first).isGreaterThan(start);
      assertThat(second).isGreaterThan(first);
      assertThat(browser.evaluate("document.querySelectorAll('#throughput-chart path').length"))
          .isNotEqualTo(0);
      assertThat(
              String.valueOf(browser.evaluate("document.getElementById('top-sign').textContent")))
          .contains("d0.example.com");
      assertThat(
              String.valueOf(browser.evaluate("document.getElementById('top-verify').textContent")))
          .contains("example.com");
      assertThat(
              String.valueOf(browser.evaluate("document.getElementById('outcomes').textContent")))
          .contains("signed")
          .contains("pass");
      assertThat(String.valueOf(browser.evaluate("document.getElementById('ready').textContent")))
          .isEqualTo("ready");
      assertThat(String.valueOf(browser.evaluate("document.getElementById('caches').textContent")))
          .as("the in-process query cache, every verification after the first a hit")
          .contains("query cache (in-process)")
          .containsPattern("(9\\d|100)\\.\\d%");
      Thread.sleep(2500); // one more poll, so the charts hold several points
      Path png = buildDir().resolve("dashboard.png");
      Files.write(png, browser.screenshot());
      assertThat(Files.size(png)).isGreaterThan(10_000);
      for (CompletableFuture<Integer> b : benches) {
        assertThat(b.get()).isZero();
      }
    } finally {
      server.close(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture().join();
      runtime.close();
      vertx.close().toCompletionStage().toCompletableFuture().join();
      crypto.close();
    }
  }

  /** The message as Inkan signs it for example.com, for the verifying bench. */
  private static Path signedCopy(Path socket, Path message) throws Exception {
    String text = Files.readString(message);
    try (MtaSimulator mta = new MtaSimulator(socket)) {
      mta.open("127.0.0.1");
      String[] field = mta.message(text.replace("\n", "\r\n")).get(0).insertedHeader();
      assertThat(field[0]).isEqualTo("DKIM-Signature");
      String value = field[1].replace("\r\n", "\n");
      return Files.writeString(
          message.resolveSibling("signed.eml"), field[0] + ":" + value + "\n" + text);
    }
  }

  /** {@code inkan bench} in-process for 12 seconds. */
  private static CompletableFuture<Integer> bench(
      String socket, Path message, String clientIp, String conns, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--socket",
                socket,
                "--conns",
                conns,
                "--duration",
                "12",
                "--message",
                message.toString(),
                "--client-ip",
                clientIp));
    args.addAll(List.of(more));
    return CompletableFuture.supplyAsync(
        () ->
            new CommandLine(new BenchCommand())
                .setOut(new PrintWriter(new StringWriter()))
                .setErr(new PrintWriter(new StringWriter()))
                .execute(args.toArray(String[]::new)));
  }

  private static String waitFor(
      HeadlessChromium browser, String expression, java.util.function.Predicate<String> done)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    String v = null;
    while (System.nanoTime() < deadline) {
      try {
        Object o = browser.evaluate(expression);
        v = o == null ? null : String.valueOf(o);
      } catch (java.io.IOException e) {
        v = null; // the page is not there yet
      }
      if (v != null && done.test(v)) {
        return v;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("page never showed " + expression + " (last: " + v + ")");
  }

  /** The build folder (target, or -Dinkan.buildDir), where the screenshot is kept. */
  private static Path buildDir() throws Exception {
    return Path.of(
            ServeDashboardTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
        .getParent();
  }
}
