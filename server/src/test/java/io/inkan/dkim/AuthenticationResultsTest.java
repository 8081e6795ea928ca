package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationResultsTest {
  private static final VerificationResult PASS =
      new VerificationResult(
          DkimResult.PASS,
          "example.com",
          "@example.com",
          "sel",
          "rsa-sha256",
          "abcdEFGH",
          "signature verified",
          false,
          false);
  private static final VerificationResult FAIL =
      new VerificationResult(
          DkimResult.FAIL,
          "example.org",
          "joe@sub.example.org",
          "s2",
          "ed25519-sha256",
          "ab/d+F==",
          "body hash did not verify",
          false,
          false);

  @Test
  void resultLineForTheCommandLine() {
    assertThat(AuthenticationResults.resultSpec(PASS, true))
        .isEqualTo(
            "dkim=pass header.d=example.com header.i=@example.com header.s=sel header.a=rsa-sha256"
                + " header.b=abcdEFGH (signature verified)");
  }

  @Test
  void aDnssecValidatedKeyIsMarkedSecure() {
    VerificationResult secure =
        new VerificationResult(
            DkimResult.PASS,
            "example.com",
            "@example.com",
            "sel",
            "rsa-sha256",
            "abcdEFGH",
            "signature verified",
            false,
            true);
    assertThat(AuthenticationResults.fieldValue("mx.example.net", List.of(secure)))
        .contains("dkim=pass (secure) header.d=example.com");
    assertThat(AuthenticationResults.fieldValue("mx.example.net", List.of(PASS)))
        .doesNotContain("secure");
  }

  @Test
  void headerFieldQuotesWhatTokensCannotHoldButNotBase64() {
    assertThat(AuthenticationResults.fieldValue("mx.example.net", List.of(PASS, FAIL)))
        .isEqualTo(
            "mx.example.net;\r\n\tdkim=pass header.d=example.com header.i=@example.com"
                + " header.s=sel header.a=rsa-sha256 header.b=abcdEFGH;\r\n"
                + "\tdkim=fail reason=\"body hash did not verify\" header.d=example.org"
                + " header.i=joe@sub.example.org header.s=s2 header.a=ed25519-sha256"
                + " header.b=ab/d+F==");
  }

  @Test
  void noSignatureIsNone() {
    assertThat(AuthenticationResults.fieldValue("mx.example.net", List.of()))
        .isEqualTo("mx.example.net; dkim=none");
  }

  @Test
  void parenthesesInReasonsCannotBreakTheComment() {
    assertThat(AuthenticationResults.resultSpec(permerror("no key (NXDOMAIN)"), true))
        .endsWith(" (no key (NXDOMAIN))");
    assertThat(AuthenticationResults.resultSpec(permerror("tag \"a)\" has no value"), true))
        .endsWith(" (tag \"a]\" has no value)");
  }

  private static VerificationResult permerror(String reason) {
    return new VerificationResult(
        DkimResult.PERMERROR, "d", "@d", "s", "rsa-sha256", "x", reason, false, false);
  }
}
