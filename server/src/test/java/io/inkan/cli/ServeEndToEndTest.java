package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dns.TestKeysFile;
import io.inkan.runtime.CryptoExecutor;
import io.inkan.runtime.MilterServer;
import io.inkan.testing.MtaSimulator;
import io.vertx.core.Vertx;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inkan serve}'s runtime from an opendkim.conf-format file to milter replies on a unix
 * socket: an internal client's mail is signed, an external client's mail is verified.
 */
class ServeEndToEndTest {
  private static final String MESSAGE =
      "From: Joe <joe@example.com>\r\nTo: ann@example.net\r\nSubject: end to end\r\n"
          + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <e2e@example.com>\r\n\r\n"
          + "Hello through the milter.\r\n";

  @TempDir Path dir;
  private Vertx vertx;
  private CryptoExecutor crypto;
  private ServeRuntime runtime;
  private MilterServer server;
  private Path keys;

  @BeforeEach
  void start() throws Exception {
    Path key = dir.resolve("sel.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String p = PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
    keys =
        Files.writeString(dir.resolve("dns"), "sel._domainkey.example.com v=DKIM1; p=" + p + "\n");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Mode sv\nSocket local:"
                + dir.resolve("inkan.sock")
                + "\nDomain example.com\nSelector sel\nKeyFile "
                + key
                + "\nCanonicalization relaxed/simple\nTestPublicKeys "
                + keys
                + "\nAuthservID mx.example.net\n");
    vertx = Vertx.vertx();
    crypto = new CryptoExecutor();
    runtime = ServeRuntime.start(ServeCommand.load(conf), crypto, false);
    server = runtime.listen(vertx);
  }

  @AfterEach
  void stop() {
    server.close(Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture().join();
    vertx.close().toCompletionStage().toCompletableFuture().join();
    crypto.close();
  }

  @Test
  void signsForInternalClientsAndVerifiesForExternalOnes() throws Exception {
    String signed;
    try (MtaSimulator mta = new MtaSimulator(dir.resolve("inkan.sock"))) {
      mta.open("127.0.0.1");
      List<MtaSimulator.Reply> replies = mta.message(MESSAGE);
      assertThat(replies.get(0).command()).isEqualTo('i');
      String[] header = replies.get(0).insertedHeader();
      assertThat(header[0]).isEqualTo("DKIM-Signature");
      assertThat(replies.get(replies.size() - 1).command()).isIn('a', 'c');
      signed = header[0] + ":" + header[1] + "\r\n" + MESSAGE;
    }
    assertThat(engineVerifies(signed)).isTrue();

    try (MtaSimulator mta = new MtaSimulator(dir.resolve("inkan.sock"))) {
      mta.open("198.51.100.7");
      List<MtaSimulator.Reply> pass = mta.message(signed);
      String[] ar = pass.get(0).insertedHeader();
      assertThat(ar[0]).isEqualTo("Authentication-Results");
      assertThat(ar[1]).contains("mx.example.net").contains("dkim=pass header.d=example.com");
      List<MtaSimulator.Reply> fail = mta.message(signed.replace("Hello", "Jello"));
      assertThat(fail.get(0).insertedHeader()[1]).contains("dkim=fail");
    }
    assertThat(count("sign", "signed")).isEqualTo(1);
    assertThat(count("verify", "pass")).isEqualTo(1);
    assertThat(count("verify", "fail")).isEqualTo(1);
  }

  @Test
  void authenticatedExternalClientsAreSigned() throws Exception {
    try (MtaSimulator mta = new MtaSimulator(dir.resolve("inkan.sock"))) {
      mta.open("198.51.100.7");
      List<MtaSimulator.Reply> replies = mta.message(MESSAGE, "{auth_authen}", "joe");
      assertThat(replies.get(0).insertedHeader()[0]).isEqualTo("DKIM-Signature");
    }
  }

  private double count(String mode, String result) {
    return runtime
        .meters()
        .find("inkan.messages")
        .tag("mode", mode)
        .tag("result", result)
        .counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private boolean engineVerifies(String message) throws Exception {
    VerificationSession v =
        new DkimVerifier(VerifierSettings.defaults(), TestKeysFile.load(keys)).newSession();
    MessageParser parser = new MessageParser(v);
    byte[] b = message.getBytes(StandardCharsets.ISO_8859_1);
    parser.update(b, 0, b.length);
    parser.finish();
    List<VerificationResult> r = v.finish(Runnable::run).toCompletableFuture().join();
    return r.size() == 1 && r.get(0).passed();
  }
}
