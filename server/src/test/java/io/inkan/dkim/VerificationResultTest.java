package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Result text is printable ASCII whatever bytes the signature carried. */
class VerificationResultTest {

  @Test
  void controlAnd8BitCharactersAreEscaped() {
    VerificationResult r =
        new VerificationResult(
            DkimResult.PERMERROR,
            "exam\rple.org",
            "@exam\rple.org",
            "s\u00e9l",
            "rsa\u0000sha256",
            "ab\u001bc",
            "bad d=exam\rple.org\r\n x",
            false,
            false);
    assertThat(r.domain()).isEqualTo("exam\\x0dple.org");
    assertThat(r.identity()).isEqualTo("@exam\\x0dple.org");
    assertThat(r.selector()).isEqualTo("s\\xe9l");
    assertThat(r.algorithm()).isEqualTo("rsa\\x00sha256");
    assertThat(r.b()).isEqualTo("ab\\x1bc");
    assertThat(r.reason()).isEqualTo("bad d=exam\\x0dple.org\\x0d\\x0a x");
    assertThat(VerificationResult.printable("\u20ac")).isEqualTo("\\x{20ac}");
  }

  @Test
  void printableTextIsKeptAsIs() {
    VerificationResult r =
        new VerificationResult(
            DkimResult.PASS,
            "example.com",
            "@example.com",
            "sel",
            "rsa-sha256",
            "abcdefgh",
            "signature verified",
            false,
            false);
    assertThat(r.domain()).isSameAs("example.com");
    assertThat(r.reason()).isSameAs("signature verified");
  }

  @Test
  void unparseableSignatureWithRawBytesGivesPrintableResult() {
    String field =
        "DKIM-Signature: v=1; a=rsa-sha256; d=exam\rple.org; s=s\u00e9l; h=from;"
            + " bh=AAEC; b=AAEC\r\n";
    byte[] message = (field + SignatureCheckTest.MESSAGE).getBytes(StandardCharsets.ISO_8859_1);
    VerificationSession session =
        new DkimVerifier(
                SignatureCheckTest.settings(),
                name -> {
                  throw new AssertionError("no lookup expected");
                })
            .newSession();
    MessageParser parser = new MessageParser(session);
    parser.update(message, 0, message.length);
    parser.finish();
    List<VerificationResult> results = session.finish(Runnable::run).toCompletableFuture().join();
    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
              for (String text : List.of(r.domain(), r.identity(), r.selector(), r.reason())) {
                assertThat(text).matches("[\\x20-\\x7e]*");
              }
            });
  }
}
