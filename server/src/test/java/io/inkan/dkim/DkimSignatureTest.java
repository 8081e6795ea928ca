package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** DKIM-Signature parsing and validation, RFC 6376 §3.5 and §6.1.1. */
class DkimSignatureTest {
  private static final String GOOD =
      "v=1; a=rsa-sha256; d=Example.COM; s=sel; h=From:To; bh=AAEC; b=AAEC\r\n Aw==";

  @Test
  void minimalSignatureWithDefaults() throws DkimException {
    DkimSignature sig = parse(GOOD);
    assertThat(sig.algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
    assertThat(sig.domain()).isEqualTo("example.com");
    assertThat(sig.selector()).isEqualTo("sel");
    assertThat(sig.signedHeaders()).containsExactly("from", "to");
    assertThat(sig.canonicalization().tagValue()).isEqualTo("simple/simple");
    assertThat(sig.identity()).isEqualTo("@example.com");
    assertThat(sig.signature()).containsExactly(0, 1, 2, 3);
    assertThat(sig.bPrefix(8)).isEqualTo("AAECAw==");
    assertThat(sig.bodyLength()).isEmpty();
  }

  @Test
  void unknownTagsAreIgnored() throws DkimException {
    assertThat(parse(GOOD + "; foo=bar; z=From:x").domain()).isEqualTo("example.com");
  }

  @ParameterizedTest
  @ValueSource(strings = {"v", "a", "b", "bh", "d", "h", "s"})
  void everyRequiredTagIsRequired(String tag) throws DkimException {
    StringBuilder without = new StringBuilder();
    for (var e : TagList.parse(GOOD).asMap().entrySet()) {
      if (!e.getKey().equals(tag)) {
        without.append(e.getKey()).append('=').append(e.getValue()).append(';');
      }
    }
    assertPermerror(without.toString(), "missing required tag " + tag + "=");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "v=0.5                | unsupported version v=0.5",
        "v=DKIM1              | unsupported version v=DKIM1",
        "a=rsa-md5            | unsupported algorithm a=rsa-md5",
        "c=foobar             | unsupported canonicalization c=foobar",
        "c=simple/future      | unsupported canonicalization c=simple/future",
        "d=.example.com       | invalid domain d=.example.com",
        "d=example..com       | invalid domain d=example..com",
        "d=exa mple.com       | invalid domain d=exa mple.com",
        "d=example.com/x      | invalid domain d=example.com/x",
        "s=sel ector          | invalid selector s=sel ector",
        "s=                   | invalid selector s=",
        "h=To:Subject         | h= does not include From",
        "h=From::To           | h= has an empty header name",
        "i=jon@example.org    | i= domain example.org is not within d=example.com",
        "i=@notexample.com    | i= domain notexample.com is not within d=example.com",
        "i=nobody             | i= has no @",
        "i=a=ZZ@example.com   | i= is not valid dkim-quoted-printable",
        "i=a=4@example.com    | i= is not valid dkim-quoted-printable",
        "q=http               | unsupported query method q=http",
        "q=dns/special        | unsupported query method q=dns/special",
        "q=dns                | unsupported query method q=dns",
        "l=12a                | l= is not a number",
        "l=-1                 | l= is not a number",
        "t=                   | t= is not a number",
        "b=AA*C               | b= is not valid base64",
        "bh=A                 | bh= is not valid base64",
      })
  void badValuesArePermerrorsNamingTheTag(String replacement, String reason) throws DkimException {
    String name = replacement.substring(0, replacement.indexOf('='));
    TagList tags = TagList.parse(GOOD);
    StringBuilder text = new StringBuilder();
    boolean replaced = false;
    for (var e : tags.asMap().entrySet()) {
      if (e.getKey().equals(name)) {
        text.append(replacement).append(';');
        replaced = true;
      } else {
        text.append(e.getKey()).append('=').append(e.getValue()).append(';');
      }
    }
    if (!replaced) {
      text.append(replacement);
    }
    assertPermerror(text.toString(), reason);
  }

  @Test
  void duplicateTagIsAPermerror() {
    assertPermerror(GOOD + "; d=example.org", "duplicate tag d=");
  }

  @Test
  void expiryMustBeLaterThanTimestamp() throws DkimException {
    assertPermerror(GOOD + "; t=100; x=99", "x= is not later than t=");
    assertPermerror(GOOD + "; t=100; x=100", "x= is not later than t=");
    DkimSignature sig = parse(GOOD + "; t=100; x=101");
    assertThat(sig.timestamp()).hasValue(100);
    assertThat(sig.expiration()).hasValue(101);
  }

  @Test
  void hugeNumbersMeanForever() throws DkimException {
    assertThat(parse(GOOD + "; x=99999999999999999999").expiration()).hasValue(Long.MAX_VALUE);
  }

  @ParameterizedTest(name = "i={0}")
  @CsvSource({
    "=6Along@messiah.edu, jlong, messiah.edu",
    "jlong@messiah=2Eedu, jlong, messiah.edu",
    "jlong=40messiah.edu, jlong, messiah.edu",
    "JLong@Messiah.Edu,   JLong, messiah.edu",
    "@mail.messiah.edu,   '',    mail.messiah.edu",
    "a=3Bb=3d@messiah.edu, 'a;b=', messiah.edu",
  })
  void identityIsDkimQuotedPrintable(String i, String local, String domain) throws DkimException {
    DkimSignature sig =
        parse("v=1; a=rsa-sha1; d=messiah.edu; s=test3; h=from; bh=AAEC; b=AAEC; i=" + i);
    assertThat(sig.identityLocalPart()).isEqualTo(local);
    assertThat(sig.identityDomain()).isEqualTo(domain);
  }

  @Test
  void recognizedQueryMethodAmongUnknownOnes() throws DkimException {
    assertThat(parse(GOOD + "; q=foo/bar:dns/txt:exam/ple").domain()).isEqualTo("example.com");
  }

  @Test
  void selectorsMayHaveDotsDigitsHyphensAndUnderscores() throws DkimException {
    String text = GOOD.replace("s=sel", "s=2023-05-ed25519.google_2015");
    assertThat(parse(text).selector()).isEqualTo("2023-05-ed25519.google_2015");
  }

  private static DkimSignature parse(String value) throws DkimException {
    return DkimSignature.parse(HeaderField.of("DKIM-Signature", " " + value));
  }

  private static void assertPermerror(String value, String reason) {
    assertThatThrownBy(() -> parse(value))
        .isInstanceOfSatisfying(
            DkimException.class, e -> assertThat(e.result()).isEqualTo(DkimResult.PERMERROR))
        .hasMessage(reason);
  }
}
