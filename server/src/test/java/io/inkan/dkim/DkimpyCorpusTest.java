package io.inkan.dkim;

import static io.inkan.dkim.DkimResult.FAIL;
import static io.inkan.dkim.DkimResult.PASS;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dkimpy test data ({@code /work/shared/corpus/dkimpy}, see its README.md): messages signed by
 * dkimpy, Gmail and Exim verify; messages signed here with dkimpy's keys verify against dkimpy's
 * key records and fail against its broken ones; a message without From is not signed.
 */
class DkimpyCorpusTest {
  /** Signing time; verification runs a minute later. */
  private static final long NOW = 1_700_000_000L;

  private final Path dir = Prerequisites.corpus("dkimpy");

  @Test
  void rfc6376SignedMessageVerifiesBothSignatures() throws IOException {
    List<VerificationResult> results = verify(read("rfc6376.signed.msg"), dns(Map.of()));
    assertThat(results).extracting(VerificationResult::result).containsExactly(PASS, PASS);
    assertThat(results)
        .extracting(VerificationResult::algorithm)
        .containsExactly("ed25519-sha256", "rsa-sha256");
    assertThat(results)
        .extracting(VerificationResult::selector)
        .containsExactly("brisbane", "test");
  }

  @Test
  void gmailMessageWithDegenerateFoldingPasses() throws IOException {
    List<VerificationResult> results = verify(read("test2.message"), dns(Map.of()));
    assertThat(results).extracting(VerificationResult::result).containsExactly(PASS);
    assertThat(results.get(0).domain()).isEqualTo("gmail.com");
  }

  @Test
  void eximEd25519MessagePasses() throws IOException {
    List<VerificationResult> results = verify(read("ed25519test2.msg"), dns(Map.of()));
    assertThat(results).extracting(VerificationResult::result).containsExactly(PASS);
    assertThat(results.get(0).algorithm()).isEqualTo("ed25519-sha256");
  }

  /** test.message signed with test.private, verified against each of dkimpy's key records. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "test.txt,        PASS,      signature verified",
    // no k=: rsa is the default (RFC 6376 §3.6.1)
    "test2.txt,       PASS,      signature verified",
    // "v=DKIM1:" makes the value "DKIM1: g=*", which is not DKIM1
    "badversion.txt,  PERMERROR, not DKIM1",
    // k=ed25519-sha256 is no key type; unrecognized key types are ignored (§3.6.1)
    "badk.txt,        PERMERROR, unknown key type k=ed25519-sha256",
    // s=tlsrpt only: not for email (§3.6.1 s=)
    "test_tlsrpt.txt, PERMERROR, s= is not for email",
    // the key's DER is cut short
    "test_bad.txt,    PERMERROR, invalid public key"
  })
  void ourRsaSignatureAgainstDkimpyKeyRecords(String record, DkimResult expected, String reason)
      throws Exception {
    byte[] signed = sign(read("test.message"), rsaSettings());
    String text = Files.readString(dir.resolve(record), StandardCharsets.US_ASCII).strip();
    List<VerificationResult> results =
        verify(signed, dns(Map.of("test._domainkey.example.com", text)));
    assertThat(results).extracting(VerificationResult::result).containsExactly(expected);
    assertThat(results.get(0).reason()).contains(reason);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "rsa, simple/simple",
    "rsa, simple/relaxed",
    "rsa, relaxed/simple",
    "rsa, relaxed/relaxed",
    "ed25519, simple/simple",
    "ed25519, simple/relaxed",
    "ed25519, relaxed/simple",
    "ed25519, relaxed/relaxed"
  })
  void ourSignaturesOnTestMessageVerify(String type, String c) throws Exception {
    SignerSettings settings =
        (type.equals("rsa") ? rsaSettings() : ed25519Settings())
            .withCanonicalization(Canonicalization.Pair.parse(c).orElseThrow());
    byte[] signed = sign(read("test.message"), settings);
    KeyRecordLookup dns = dns(Map.of());

    assertThat(verify(signed, dns)).extracting(VerificationResult::result).containsExactly(PASS);
    assertThat(verify(concat(signed, "foo\n"), dns))
        .extracting(VerificationResult::reason)
        .containsExactly("body hash did not verify");
    assertThat(verify(concat("X-Foo: bar\n", signed), dns))
        .extracting(VerificationResult::result)
        .containsExactly(PASS);
  }

  @Test
  void fromAddedBelowTheSignedOneFails() throws Exception {
    String signed = new String(sign(read("test.message"), rsaSettings()), StandardCharsets.UTF_8);
    String tampered = signed.replace("To: somebody", "From: evil@example.org\nTo: somebody");
    assertThat(verify(tampered.getBytes(StandardCharsets.UTF_8), dns(Map.of())))
        .extracting(VerificationResult::result)
        .containsExactly(FAIL);
  }

  /**
   * A From added above the signed one is not covered by a signature that names From once (RFC 6376
   * §8.15: the signature stays valid), unless the signer over-signs From.
   */
  @Test
  void fromAddedOnTopFailsWhenFromIsOversigned() throws Exception {
    SignerSettings settings =
        rsaSettings().withHeaders(SignerSettings.DEFAULT_SIGNED_HEADERS, List.of("from"));
    byte[] signed = sign(read("test.message"), settings);
    assertThat(verify(signed, dns(Map.of())))
        .extracting(VerificationResult::result)
        .containsExactly(PASS);
    assertThat(verify(concat("From: evil@example.org\n", signed), dns(Map.of())))
        .extracting(VerificationResult::result)
        .containsExactly(FAIL);
  }

  @Test
  void mboxMessageSignedWithEveryHeaderVerifies() throws Exception {
    byte[] message = read("message.mbox");
    Set<String> names = new LinkedHashSet<>();
    parse(
        message,
        new MessageSink() {
          @Override
          public void header(HeaderField field) {
            names.add(field.lowerName());
          }

          @Override
          public void endOfHeaders() {}

          @Override
          public void body(byte[] b, int off, int len) {}
        });
    SignerSettings settings = rsaSettings().withHeaders(List.copyOf(names), List.of());
    List<VerificationResult> results = verify(sign(message, settings), dns(Map.of()));
    // Ours is on top; the kitterman.com one below has no key in dns.txt.
    assertThat(results)
        .extracting(VerificationResult::result)
        .containsExactly(PASS, DkimResult.PERMERROR);
  }

  @Test
  void messageWithoutFromIsNotSigned() throws Exception {
    DkimSigner signer = new DkimSigner(rsaSettings());
    SigningSession session = signer.newSession(NOW);
    parse(read("test_nofrom.message"), session);
    SignResult result = signer.finish(session);
    assertThat(result)
        .isInstanceOfSatisfying(
            SignResult.Refused.class, r -> assertThat(r.reason()).contains("From"));
  }

  private SignerSettings rsaSettings() throws IOException, GeneralSecurityException {
    return SignerSettings.of(
        "example.com",
        "test",
        PrivateKeyReader.read(Files.readString(dir.resolve("test.private"))));
  }

  private SignerSettings ed25519Settings() throws IOException, GeneralSecurityException {
    return SignerSettings.of(
        "example.net",
        "test",
        PrivateKeyReader.read(Files.readString(dir.resolve("ed25519test.key"))));
  }

  private static byte[] sign(byte[] message, SignerSettings settings) {
    DkimSigner signer = new DkimSigner(settings);
    SigningSession session = signer.newSession(NOW);
    parse(message, session);
    SignResult result = signer.finish(session);
    assertThat(result).isInstanceOf(SignResult.Signed.class);
    return concat(((SignResult.Signed) result).field().raw() + "\r\n", message);
  }

  private static List<VerificationResult> verify(byte[] message, KeyRecordLookup dns) {
    VerifierSettings settings = VerifierSettings.defaults().withClock(() -> NOW + 60);
    List<VerificationResult> whole =
        MailDkimCorpusTest.verify(message, settings, dns, Integer.MAX_VALUE);
    assertThat(MailDkimCorpusTest.verify(message, settings, dns, 1))
        .as("fed one byte at a time")
        .isEqualTo(whole);
    whole.forEach(r -> assertThat(r.reason()).isNotBlank());
    return whole;
  }

  private static void parse(byte[] message, MessageSink sink) {
    MessageParser parser = new MessageParser(sink);
    parser.update(message, 0, message.length);
    parser.finish();
  }

  /** dns.txt ({@code name<TAB>record}), with some names answered differently. */
  private KeyRecordLookup dns(Map<String, String> overrides) throws IOException {
    Map<String, String> records = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("dns.txt"), StandardCharsets.US_ASCII)) {
      int tab = line.indexOf('\t');
      if (tab > 0) {
        records.put(line.substring(0, tab).toLowerCase(Locale.ROOT), line.substring(tab + 1));
      }
    }
    records.putAll(overrides);
    return name -> {
      String text = records.get(name.toLowerCase(Locale.ROOT));
      return CompletableFuture.completedFuture(
          text == null ? new KeyLookupResult.NxDomain() : KeyLookupResult.Found.of(text));
    };
  }

  private byte[] read(String name) throws IOException {
    return Files.readAllBytes(dir.resolve(name));
  }

  private static byte[] concat(String head, byte[] tail) {
    return concat(head.getBytes(StandardCharsets.UTF_8), tail);
  }

  private static byte[] concat(byte[] head, String tail) {
    return concat(head, tail.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
