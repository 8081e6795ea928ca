package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The streaming bound: a 50 MB message is signed and verified in a JVM limited to 64 MB of heap.
 * The message is generated on the fly, so the only way to pass is to never hold it whole.
 */
class LargeMessageTest {
  private static final long BODY_BYTES = 50L << 20;

  @Test
  void fiftyMegabytesSignAndVerifyIn64MegabytesOfHeap() throws Exception {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                java.toString(),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                LargeMessageTest.class.getName())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(output).as(output).contains("rsa-sha256 pass", "ed25519-sha256 pass");
    assertThat(p.exitValue()).as(output).isZero();
  }

  /** Runs in the 64 MB child JVM: signs and verifies a generated message with both keys. */
  public static void main(String[] args) throws Exception {
    for (String keyFile : List.of("rsa.private", "ed25519.key")) {
      SigningKey key = PrivateKeyReader.read(Rfc8463ExampleTest.resource(keyFile));
      DkimSigner signer = new DkimSigner(SignerSettings.of("example.com", "big", key));
      SigningSession session = signer.newSession(System.currentTimeMillis() / 1000);
      stream(null, session);
      SignResult.Signed signed = (SignResult.Signed) signer.finish(session);
      String record = "v=DKIM1; k=" + key.type().tagValue() + "; p=" + key.publicKeyBase64();
      DkimVerifier verifier =
          new DkimVerifier(
              VerifierSettings.defaults(),
              name -> CompletableFuture.completedFuture(KeyLookupResult.Found.of(record)));
      VerificationSession v = verifier.newSession();
      stream(signed.field().raw(), v);
      VerificationResult r = v.finish(Runnable::run).toCompletableFuture().join().get(0);
      System.out.println(
          r.algorithm()
              + " "
              + r.result().keyword()
              + " "
              + r.reason()
              + " maxHeap="
              + (Runtime.getRuntime().maxMemory() >> 20)
              + "MB");
    }
  }

  private static void stream(String signature, MessageSink sink) throws IOException {
    MessageParser parser = new MessageParser(sink);
    String head =
        (signature == null ? "" : signature + "\r\n")
            + "From: big@example.com\r\nTo: someone@example.net\r\nSubject: large\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    parser.update(h, 0, h.length);
    byte[] line =
        "The quick brown fox jumps over the lazy dog  \t \r\n"
            .repeat(1000)
            .getBytes(StandardCharsets.ISO_8859_1);
    for (long sent = 0; sent < BODY_BYTES; sent += line.length) {
      parser.update(line, 0, line.length);
    }
    parser.finish();
  }
}
