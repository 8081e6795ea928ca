package io.inkan.dkim;

import static io.inkan.dkim.DkimResult.FAIL;
import static io.inkan.dkim.DkimResult.PASS;
import static io.inkan.dkim.DkimResult.PERMERROR;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The checks of RFC 6376 §6.1.2 and §6.1.3 applied to a signature made here: key record rules, key
 * encodings, and the order in which problems are reported.
 */
class SignatureCheckTest {
  static final long NOW = 1_700_000_000L;
  static final String MESSAGE =
      "From: Joe <joe@example.com>\r\nTo: sue@example.org\r\nSubject: hi\r\n\r\nHello.\r\n";

  private static final SigningKey RSA = rsaKey(1024);
  private static final SigningKey ED25519 = ed25519Key();

  @Test
  void rsaKeyAsSubjectPublicKeyInfoPasses() {
    assertThat(verify(sign(RSA), "v=DKIM1; k=rsa; p=" + b64(RSA.publicKey()))).isEqualTo(PASS);
  }

  @Test
  void rsaKeyAsBareRsaPublicKeyPasses() throws Exception {
    byte[] pkcs1 = SubjectPublicKeyInfo.getInstance(RSA.publicKey()).parsePublicKey().getEncoded();
    assertThat(verify(sign(RSA), "p=" + b64(pkcs1))).isEqualTo(PASS);
  }

  @Test
  void ed25519KeyAsRaw32BytesPasses() {
    assertThat(ED25519.publicKey()).hasSize(32);
    assertThat(verify(sign(ED25519), "v=DKIM1; k=ed25519; p=" + b64(ED25519.publicKey())))
        .isEqualTo(PASS);
  }

  @Test
  void ed25519KeyAsSubjectPublicKeyInfoIsAPermerror() {
    byte[] spki = new byte[44];
    System.arraycopy(
        new byte[] {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00},
        0,
        spki,
        0,
        12);
    System.arraycopy(ED25519.publicKey(), 0, spki, 12, 32);
    VerificationResult r = result(sign(ED25519), "k=ed25519; p=" + b64(spki));
    assertThat(r.result()).isEqualTo(PERMERROR);
    assertThat(r.reason()).contains("32 bytes");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "k=rsa; t=y; p=                    | key revoked",
        "k=ed25519; p=KEY                  | key type k=ed25519 does not match a=rsa-sha256",
        "k=foobar; p=KEY                   | unknown key type k=foobar",
        "h=sha1; p=KEY                     | key h= does not allow sha256",
        "h=bad; p=KEY                      | key h= does not allow sha256",
        "s=chat; p=KEY                     | key s= is not for email",
        "k=rsa; v=DKIM1; p=KEY             | no valid key record: key record v= tag is not first",
        "v=DKIM3; p=KEY                    | no valid key record: key record has v=DKIM3, not DKIM1",
        "p=AAECAwQF                        | invalid public key",
        "h=sha1; p=                        | key h= does not allow sha256",
      })
  void keyRecordRules(String record, String reason) {
    VerificationResult r = result(sign(RSA), record.replace("KEY", b64(RSA.publicKey())));
    assertThat(r.result()).isEqualTo(PERMERROR);
    assertThat(r.reason()).startsWith(reason);
  }

  @Test
  void acceptableHashesAndServicesPass() {
    String p = b64(RSA.publicKey());
    assertThat(verify(sign(RSA), "h=md5:sha256; s=email:web; t=y:extra; p=" + p)).isEqualTo(PASS);
    assertThat(verify(sign(RSA), "s=*; p=" + p)).isEqualTo(PASS);
  }

  @Test
  void strictIdentityForbidsASubdomainInI() {
    String record = "t=s; p=" + b64(RSA.publicKey());
    VerificationResult sub = result(sign(RSA, Optional.of("joe@mail.example.com")), record);
    assertThat(sub.result()).isEqualTo(PERMERROR);
    assertThat(sub.reason()).contains("t=s");
    assertThat(verify(sign(RSA, Optional.of("joe@example.com")), record)).isEqualTo(PASS);
    assertThat(verify(sign(RSA), record)).isEqualTo(PASS);
  }

  @Test
  void obsoleteGranularityIsIgnored() {
    // RFC 6376 Appendix C.2 (Mail::DKIM's badkey_8, _9, _12, _13 carry such keys).
    byte[] signed = sign(RSA, Optional.of("joe@example.com"));
    for (String g : List.of("g=*poe; ", "g=; ", "g=JOE; ", "g=jl*g; ")) {
      assertThat(verify(signed, g + "p=" + b64(RSA.publicKey()))).as(g).isEqualTo(PASS);
    }
  }

  @Test
  void keyTooShortForThePolicy() {
    VerificationResult r =
        result(
            sign(RSA),
            "p=" + b64(RSA.publicKey()),
            VerifierSettings.defaults().withMinKeyBits(2048).withClock(() -> NOW));
    assertThat(r.result()).isEqualTo(PERMERROR);
    assertThat(r.reason()).isEqualTo("key too short (1024 bits, minimum 2048)");
  }

  @Test
  void oneKeyAmongOtherTxtRecordsIsFound() {
    KeyRecordLookup dns =
        name ->
            CompletableFuture.completedFuture(
                new KeyLookupResult.Found(
                    List.of(
                        KeyLookupResult.TxtRecord.of("v=spf1 -all"),
                        KeyLookupResult.TxtRecord.of("p=" + b64(RSA.publicKey()))),
                    false));
    assertThat(verify(sign(RSA), dns, settings()).get(0).result()).isEqualTo(PASS);
  }

  /** RFC 6376 §6.1.2 comes before §6.1.3: a key problem is reported even if the body changed. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "nxdomain          | PERMERROR | no key for signature (NXDOMAIN)",
        "nodata            | PERMERROR | no key for signature (no TXT record)",
        "tempfail          | TEMPERROR | key query failed: SERVFAIL",
        "revoked           | PERMERROR | key revoked",
        "good              | FAIL      | body hash did not verify",
      })
  void keyIsCheckedBeforeTheBodyHash(String answer, DkimResult expected, String reason) {
    byte[] altered =
        new String(sign(RSA), StandardCharsets.ISO_8859_1)
            .replace("Hello.", "Hello!")
            .getBytes(StandardCharsets.ISO_8859_1);
    KeyLookupResult found =
        switch (answer) {
          case "nxdomain" -> new KeyLookupResult.NxDomain();
          case "nodata" -> new KeyLookupResult.NoData();
          case "tempfail" -> new KeyLookupResult.TempFail("SERVFAIL");
          case "revoked" -> txt("p=");
          default -> txt("p=" + b64(RSA.publicKey()));
        };
    VerificationResult r =
        verify(altered, name -> CompletableFuture.completedFuture(found), settings()).get(0);
    assertThat(r.result()).isEqualTo(expected);
    assertThat(r.reason()).isEqualTo(reason);
  }

  @Test
  void alteredHeaderFails() {
    byte[] altered =
        new String(sign(RSA), StandardCharsets.ISO_8859_1)
            .replace("Subject: hi", "Subject: ho")
            .getBytes(StandardCharsets.ISO_8859_1);
    VerificationResult r = result(altered, "p=" + b64(RSA.publicKey()));
    assertThat(r.result()).isEqualTo(FAIL);
    assertThat(r.reason()).isEqualTo("signature did not verify");
  }

  // ---- helpers, shared with VerificationSessionTest ----

  static SigningKey rsaKey(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return PrivateKeyReader.read(b64(g.generateKeyPair().getPrivate().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static SigningKey ed25519Key() {
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    try {
      return PrivateKeyReader.read(b64(seed));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  static KeyLookupResult txt(String text) {
    return KeyLookupResult.Found.of(text);
  }

  static byte[] sign(SigningKey key) {
    return sign(key, Optional.empty());
  }

  static byte[] sign(SigningKey key, Optional<String> identity) {
    SignerSettings settings =
        SignerSettings.of("example.com", "sel", key)
            .withIdentity(identity)
            .withOptions(false, false, OptionalLong.empty());
    DkimSigner signer = new DkimSigner(settings);
    SigningSession session = signer.newSession(NOW);
    byte[] message = MESSAGE.getBytes(StandardCharsets.ISO_8859_1);
    MessageParser parser = new MessageParser(session);
    parser.update(message, 0, message.length);
    parser.finish();
    SignResult result = signer.finish(session);
    return (((SignResult.Signed) result).field().raw() + "\r\n" + MESSAGE)
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  static VerifierSettings settings() {
    return VerifierSettings.defaults().withClock(() -> NOW + 10);
  }

  static List<VerificationResult> verify(
      byte[] message, KeyRecordLookup dns, VerifierSettings settings) {
    VerificationSession session = new DkimVerifier(settings, dns).newSession();
    MessageParser parser = new MessageParser(session);
    parser.update(message, 0, message.length);
    parser.finish();
    return session.finish(Runnable::run).toCompletableFuture().join();
  }

  private static DkimResult verify(byte[] message, String record) {
    return result(message, record).result();
  }

  private static VerificationResult result(byte[] message, String record) {
    return result(message, record, settings());
  }

  private static VerificationResult result(
      byte[] message, String record, VerifierSettings settings) {
    List<VerificationResult> results =
        verify(
            message,
            name -> {
              assertThat(name).isEqualTo("sel._domainkey.example.com");
              return CompletableFuture.completedFuture(txt(record));
            },
            settings);
    assertThat(results).hasSize(1);
    return results.get(0);
  }
}
