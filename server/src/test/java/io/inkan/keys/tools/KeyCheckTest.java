package io.inkan.keys.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.DkimKeyGenerator;
import io.inkan.keys.DkimTxtRecord;
import io.inkan.keys.tools.KeyCheckResult.Outcome;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyCheckTest {
  private static SigningKey rsa;
  private static SigningKey otherRsa;
  private static SigningKey ed25519;

  @BeforeAll
  static void keys() throws Exception {
    rsa = DkimKeyGenerator.generate(KeyType.RSA, 1024).key();
    otherRsa = DkimKeyGenerator.generate(KeyType.RSA, 1024).key();
    ed25519 = DkimKeyGenerator.generate(KeyType.ED25519, 0).key();
  }

  private static String record(SigningKey key) {
    return new DkimTxtRecord(
            key.type(),
            key.publicKeyBase64(),
            Optional.of("sha256"),
            Optional.empty(),
            false,
            false,
            false)
        .text();
  }

  private static KeyCheckResult check(SigningKey key, KeyLookupResult found) {
    return new KeyCheck("example.com", "sel", Optional.ofNullable(key), Optional.empty())
        .check(found);
  }

  @Test
  void matchingRsaAndEd25519KeysAreOk() {
    KeyCheckResult r = check(rsa, KeyLookupResult.Found.of(record(rsa)));
    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.line()).isEqualTo("example.com/sel: key OK");
    assertThat(r.details())
        .contains("name: sel._domainkey.example.com", "published key: rsa, 1024 bits")
        .contains("DNSSEC: not validated (key not secure)");
    assertThat(check(ed25519, KeyLookupResult.Found.of(record(ed25519))).outcome())
        .isEqualTo(Outcome.OK);
  }

  @Test
  void aBarePkcs1RsaKeyInTheRecordMatchesToo() throws Exception {
    byte[] spki = rsa.publicKey();
    byte[] pkcs1 =
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(spki)
            .parsePublicKey()
            .getEncoded();
    String text = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pkcs1);
    assertThat(check(rsa, KeyLookupResult.Found.of(text)).outcome()).isEqualTo(Outcome.OK);
  }

  @Test
  void anotherKeyIsAMismatch() {
    KeyCheckResult r = check(rsa, KeyLookupResult.Found.of(record(otherRsa)));
    assertThat(r.outcome()).isEqualTo(Outcome.MISMATCH);
    assertThat(r.line()).isEqualTo("example.com/sel: public key does not match the private key");
  }

  @Test
  void keyTypesMustAgree() {
    assertThat(check(rsa, KeyLookupResult.Found.of(record(ed25519))).reason())
        .isEqualTo("record has k=ed25519 but the private key is rsa");
    assertThat(check(rsa, KeyLookupResult.Found.of("v=DKIM1; k=dsa; p=AAAA")).reason())
        .isEqualTo("record has unknown key type k=dsa");
  }

  @Test
  void revokedMissingAndFailedLookups() {
    assertThat(check(rsa, KeyLookupResult.Found.of("v=DKIM1; k=rsa; p=")).line())
        .isEqualTo("example.com/sel: record is revoked (empty p=)");
    assertThat(check(rsa, new KeyLookupResult.NxDomain()).line())
        .isEqualTo("example.com/sel: record not found (NXDOMAIN)");
    assertThat(check(rsa, new KeyLookupResult.NoData()).outcome()).isEqualTo(Outcome.NOT_FOUND);
    KeyCheckResult temp = check(rsa, new KeyLookupResult.TempFail("x/TXT: timeout"));
    assertThat(temp.outcome()).isEqualTo(Outcome.DNS_ERROR);
    assertThat(temp.reason()).isEqualTo("DNS lookup failed: x/TXT: timeout");
  }

  @Test
  void garbageIsNotAKeyRecord() {
    KeyCheckResult r = check(rsa, KeyLookupResult.Found.of("hello world"));
    assertThat(r.outcome()).isEqualTo(Outcome.NOT_A_KEY_RECORD);
    assertThat(r.reason()).startsWith("not a DKIM key record: ");
    assertThat(check(rsa, KeyLookupResult.Found.of("v=DKIM1; p=AAAA")).outcome())
        .isEqualTo(Outcome.NOT_A_KEY_RECORD);
  }

  @Test
  void recordsVerifiersWouldRejectAreUnusable() {
    String p = rsa.publicKeyBase64();
    assertThat(check(rsa, KeyLookupResult.Found.of("v=DKIM1; h=sha1; p=" + p)).reason())
        .isEqualTo("record's h=sha1 does not allow sha256, which rsa-sha256 signatures use");
    assertThat(check(rsa, KeyLookupResult.Found.of("v=DKIM1; s=tlsrpt; p=" + p)).reason())
        .isEqualTo("record's s=tlsrpt does not allow email");
  }

  @Test
  void withoutAPrivateKeyOnlyTheRecordIsChecked() {
    KeyCheckResult r = check(null, KeyLookupResult.Found.of(record(otherRsa)));
    assertThat(r.outcome()).isEqualTo(Outcome.OK);
    assertThat(r.reason()).isEqualTo("record OK (no private key given to compare)");
  }

  @Test
  void otherTxtRecordsAreIgnoredAndEveryKeyRecordMustMatch() {
    KeyLookupResult.Found withSpf =
        new KeyLookupResult.Found(
            List.of(
                KeyLookupResult.TxtRecord.of("v=spf1 -all"),
                new KeyLookupResult.TxtRecord(record(rsa), OptionalLong.of(300))),
            false);
    KeyCheckResult ok = check(rsa, withSpf);
    assertThat(ok.outcome()).isEqualTo(Outcome.OK);
    assertThat(ok.details()).contains("TTL: 300 s");
    KeyCheckResult two = check(rsa, KeyLookupResult.Found.of(record(rsa), record(otherRsa)));
    assertThat(two.outcome()).isEqualTo(Outcome.MISMATCH);
    assertThat(two.details()).contains("2 key records at the name; verifiers may use any of them");
  }
}
