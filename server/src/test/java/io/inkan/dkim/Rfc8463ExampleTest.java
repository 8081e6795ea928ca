package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dns.TestKeysFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 8463 Appendix A, taken from the RFC's text: the signed example verifies, and signing the
 * unsigned example with the same keys, {@code t=} and header list reproduces it byte for byte.
 */
class Rfc8463ExampleTest {
  private static final long T = 1528637909L;

  @Test
  void signedExampleVerifiesBothSignatures() throws Exception {
    List<VerificationResult> results = verify(resource("signed.eml"));
    assertThat(results)
        .extracting(VerificationResult::result)
        .containsExactly(DkimResult.PASS, DkimResult.PASS);
    assertThat(results)
        .extracting(VerificationResult::algorithm)
        .containsExactly("ed25519-sha256", "rsa-sha256");
    assertThat(results.get(0).b()).isEqualTo("/gCrinpc");
  }

  @Test
  void alteredExampleFails() throws Exception {
    String altered = resource("signed.eml").replace("Joe.", "Jim.");
    assertThat(verify(altered))
        .extracting(VerificationResult::result)
        .containsExactly(DkimResult.FAIL, DkimResult.FAIL);
  }

  @ParameterizedTest
  @CsvSource({"brisbane, ed25519.key, 0", "test, rsa.private, 1"})
  void signingReproducesTheRfcSignature(String selector, String keyFile, int index)
      throws Exception {
    SignerSettings settings =
        SignerSettings.of(
                "football.example.com", selector, PrivateKeyReader.read(resource(keyFile)))
            .withHeaders(
                List.of("from", "to", "subject", "date", "message-id"),
                List.of("from", "subject", "date"))
            .withIdentity(Optional.of("@football.example.com"))
            .withOptions(false, false, OptionalLong.empty());
    DkimSigner signer = new DkimSigner(settings);
    SigningSession session = signer.newSession(T);
    feed(resource("unsigned.eml"), session);
    SignResult result = signer.finish(session);

    assertThat(result).isInstanceOf(SignResult.Signed.class);
    String ours = ((SignResult.Signed) result).field().raw();
    String theirs = rfcFields(resource("signed.eml")).get(index);
    assertThat(tag(ours, "b")).isEqualTo(tag(theirs, "b"));
    assertThat(tag(ours, "bh")).isEqualTo(tag(theirs, "bh"));
    assertThat(HeaderCanonicalizer.relaxed(SignedHeaderBlock.withoutSignatureValue(ours)))
        .isEqualTo(HeaderCanonicalizer.relaxed(SignedHeaderBlock.withoutSignatureValue(theirs)));
    assertThat(ours.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
  }

  private static List<VerificationResult> verify(String message) throws IOException {
    TestKeysFile keys = TestKeysFile.parse("dns.txt", resource("dns.txt"));
    VerifierSettings settings = VerifierSettings.defaults().withClock(() -> T + 60);
    VerificationSession session = new DkimVerifier(settings, keys).newSession();
    feed(message, session);
    return session.finish(Runnable::run).toCompletableFuture().join();
  }

  private static List<String> rfcFields(String message) {
    List<HeaderField> fields = new java.util.ArrayList<>();
    feed(
        message,
        new MessageSink() {
          @Override
          public void header(HeaderField field) {
            fields.add(field);
          }

          @Override
          public void endOfHeaders() {}

          @Override
          public void body(byte[] b, int off, int len) {}
        });
    return fields.stream().filter(f -> f.is("DKIM-Signature")).map(HeaderField::raw).toList();
  }

  private static String tag(String field, String name) throws DkimException {
    return TagList.stripFws(TagList.parse(field.substring(field.indexOf(':') + 1)).require(name));
  }

  static void feed(String message, MessageSink sink) {
    MessageParser parser = new MessageParser(sink);
    byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
    parser.update(bytes, 0, bytes.length);
    parser.finish();
  }

  static String resource(String name) throws IOException {
    try (InputStream in = Rfc8463ExampleTest.class.getResourceAsStream("/rfc8463/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
