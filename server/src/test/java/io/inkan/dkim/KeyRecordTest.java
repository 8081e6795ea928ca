package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key record parsing, RFC 6376 §3.6.1 and RFC 8463 §4. How the parsed record is applied to a
 * signature is in {@link SignatureCheckTest}.
 */
class KeyRecordTest {

  @Test
  void defaults() throws DkimException {
    KeyRecord k = KeyRecord.parse("p=AAEC");
    assertThat(k.keyType()).hasValue(KeyType.RSA);
    assertThat(k.publicKey()).containsExactly(0, 1, 2);
    assertThat(k.allowsHash("sha1")).isTrue();
    assertThat(k.allowsHash("sha256")).isTrue();
    assertThat(k.allowsEmail()).isTrue();
    assertThat(k.testing()).isFalse();
    assertThat(k.strictIdentity()).isFalse();
    assertThat(k.revoked()).isFalse();
  }

  @Test
  void emptyPublicKeyMeansRevoked() throws DkimException {
    assertThat(KeyRecord.parse("k=rsa; t=y; p=").revoked()).isTrue();
    assertThat(KeyRecord.parse("v=DKIM1; p= \r\n ;").revoked()).isTrue();
  }

  @Test
  void base64MayBeFoldedWithWhiteSpace() throws DkimException {
    assertThat(KeyRecord.parse("p=AA EC\r\n\tAw==").publicKey()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void versionFirstAndDkim1IsAccepted() throws DkimException {
    assertThat(KeyRecord.parse("v=DKIM1; k=ed25519; p=AAEC").keyType()).hasValue(KeyType.ED25519);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "k=rsa; v=DKIM1; p=AAEC         | key record v= tag is not first",
        "v=DKIM3; p=AAEC                | key record has v=DKIM3, not DKIM1",
        "v=dkim1; p=AAEC                | key record has v=dkim1, not DKIM1",
        "v=DKIM1.0; p=AAEC              | key record has v=DKIM1.0, not DKIM1",
        "v=DKIM1: g=*; k=rsa; p=AAEC    | key record has v=DKIM1: g=*, not DKIM1",
        "v=DKIM1; k=rsa                 | missing required tag p=",
        "''                             | missing required tag p=",
        "v=DKIM1; p=AA*C                | key record p= is not valid base64",
        "k=rsa; t; p=AAEC               | tag \"t\" has no value",
        "p=AAEC; k=rsa; p=AAEC          | duplicate tag p=",
      })
  void malformedRecordsArePermerrors(String text, String reason) {
    assertThatThrownBy(() -> KeyRecord.parse(text))
        .isInstanceOfSatisfying(
            DkimException.class, e -> assertThat(e.result()).isEqualTo(DkimResult.PERMERROR))
        .hasMessage(reason);
  }

  @Test
  void unknownKeyTypeIsKeptForTheReason() throws DkimException {
    KeyRecord k = KeyRecord.parse("k=ed25519-sha256; p=AAEC");
    assertThat(k.keyType()).isEmpty();
    assertThat(k.unknownKeyType()).isEqualTo("ed25519-sha256");
  }

  @Test
  void hashListIgnoresUnknownAlgorithms() throws DkimException {
    KeyRecord k = KeyRecord.parse("h=md5 : sha1; p=AAEC");
    assertThat(k.allowsHash("sha1")).isTrue();
    assertThat(k.allowsHash("sha256")).isFalse();
    assertThat(KeyRecord.parse("h=bad; p=AAEC").allowsHash("sha256")).isFalse();
  }

  @Test
  void serviceTypes() throws DkimException {
    assertThat(KeyRecord.parse("s=email:web:fine; p=AAEC").allowsEmail()).isTrue();
    assertThat(KeyRecord.parse("s=*; p=AAEC").allowsEmail()).isTrue();
    assertThat(KeyRecord.parse("s=chat; p=AAEC").allowsEmail()).isFalse();
    assertThat(KeyRecord.parse("s=tlsrpt; p=AAEC").allowsEmail()).isFalse();
  }

  @Test
  void flagsIgnoreUnknownOnes() throws DkimException {
    KeyRecord k = KeyRecord.parse("t = y:n:extra; p=AAEC");
    assertThat(k.testing()).isTrue();
    assertThat(k.strictIdentity()).isFalse();
    assertThat(KeyRecord.parse("t=s; p=AAEC").strictIdentity()).isTrue();
  }

  @Test
  void unknownTagsAndTheObsoleteGranularityAreIgnored() throws DkimException {
    // RFC 6376 Appendix C.2: g= "MUST now be ignored"; SignatureCheckTest shows it has no effect.
    KeyRecord k = KeyRecord.parse("v=DKIM1; g=*poe; n=send%20comments; x1 = extra; p=AAEC");
    assertThat(k.publicKey()).containsExactly(0, 1, 2);
    assertThat(KeyRecord.parse("v=DKIM1; g=; p=AAEC").revoked()).isFalse();
  }
}
