package io.inkan.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed signatures and messages: each gets one specific result whose reason says why (RFC 6376
 * §6.1.1: a signature that does not parse is PERMFAIL), nothing throws, and feeding the message
 * whole or one byte at a time gives the same results.
 */
class BadInputTest {
  private static final long NOW = 1_700_000_000L;
  private static final String MESSAGE =
      "From: Alice <alice@example.org>\r\n"
          + "To: Bob <bob@example.net>\r\n"
          + "Subject: lunch\r\n"
          + "Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"
          + "Message-ID: <1@example.org>\r\n"
          + "\r\n"
          + "Hello Bob.\r\n"
          + "\r\n"
          + "See you at noon.\r\n";
  private static final List<String> REQUIRED = List.of("v", "a", "b", "bh", "d", "h", "s");

  private static SigningKey rsa;
  private static SigningKey ed;
  private static DkimVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024);
    rsa =
        PrivateKeyReader.read(
            Base64.getEncoder().encodeToString(g.generateKeyPair().getPrivate().getEncoded()));
    byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    ed = PrivateKeyReader.read(Base64.getEncoder().encodeToString(seed));
    String rsaRecord = "v=DKIM1; k=rsa; p=" + rsa.publicKeyBase64();
    String edRecord = "v=DKIM1; k=ed25519; p=" + ed.publicKeyBase64();
    KeyRecordLookup lookup =
        name ->
            CompletableFuture.completedFuture(
                KeyLookupResult.Found.of(name.startsWith("ed") ? edRecord : rsaRecord));
    verifier = new DkimVerifier(VerifierSettings.defaults().withClock(() -> NOW), lookup);
  }

  // ---- truncated and garbled signature fields

  @Test
  void aSignatureCutAnywhereNeverPasses() {
    String field = signatureField(settings(rsa), MESSAGE);
    int name = DkimSignature.FIELD_NAME.length();
    int bValue = field.indexOf('=', field.lastIndexOf(';')) + 1;
    assertThat(only(withField(field, MESSAGE)).result()).isEqualTo(DkimResult.PASS);
    for (int cut = 0; cut < field.length(); cut++) {
      String part = field.substring(0, cut);
      for (boolean rest : List.of(true, false)) {
        List<VerificationResult> results = verify(rest ? withField(part, MESSAGE) : bytes(part));
        String at =
            "cut at "
                + cut
                + " of "
                + field.length()
                + (rest ? "" : ", nothing after")
                + ": "
                + part;
        if (cut < name) {
          assertThat(results).as(at).isEmpty();
          continue;
        }
        assertThat(results).as(at).hasSize(1);
        VerificationResult r = results.get(0);
        if (cut < bValue) {
          assertThat(r.result()).as(at).isEqualTo(DkimResult.PERMERROR);
          assertThat(r.reason()).as(at).containsPattern("tag|[a-z]=");
        } else if (rest && field.substring(cut).matches("[=\\s]+") && !part.endsWith("\n")) {
          // Only b='s padding is gone, which RFC 6376 §2.4 base64string makes optional (a cut
          // after a fold's CRLF would instead end the header block).
          assertThat(r.result()).as(at).isEqualTo(DkimResult.PASS);
        } else {
          assertThat(r.result()).as(at).isIn(DkimResult.FAIL, DkimResult.PERMERROR);
          assertThat(r.reason()).as(at).containsAnyOf("did not verify", "b= is not valid base64");
        }
      }
    }
  }

  static Stream<Arguments> garbledTagLists() {
    return Stream.of(
        Arguments.of("a tag without =", edit(t -> t.put("garbage", null)), "\"garbage\""),
        Arguments.of("a name starting with a digit", edit(t -> t.put("1x", "2")), "\"1x\""),
        Arguments.of("an empty name", edit(t -> t.put("", "novalue")), "\"\""),
        Arguments.of("white space inside a name", edit(t -> t.put("x y", "1")), "\"x y\""),
        Arguments.of(
            "a missing ;",
            edit(t -> t.put("a", "rsa-sha256 c=relaxed/relaxed")),
            "a=rsa-sha256 c=relaxed/relaxed"),
        Arguments.of(
            "a control character",
            edit(t -> t.put("a", "rsa\u0001sha256")),
            "a= has an invalid character 0x1"),
        Arguments.of(
            "an 8-bit character",
            edit(t -> t.put("s", "s\u00e9lecteur")),
            "s= has an invalid character 0xe9"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbledTagLists")
  void aGarbledTagListIsAPermerrorSayingWhere(
      String what, Consumer<Map<String, String>> change, String reason) {
    VerificationResult r = only(withField(edited(change), MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.reason()).contains(reason);
  }

  @ParameterizedTest
  @ValueSource(strings = {"b", "bh"})
  void aValueThatIsNotBase64IsAPermerror(String tag) {
    VerificationResult r = only(withField(edited(t -> t.put(tag, "!!not*base64!!")), MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.reason()).containsPattern("(?<![a-z])" + tag + "= .*base64");
  }

  @Test
  void eachMissingRequiredTagIsAPermerrorNamingIt() {
    for (String tag : REQUIRED) {
      VerificationResult r = only(withField(edited(t -> t.remove(tag)), MESSAGE));
      assertThat(r.result()).as(tag).isEqualTo(DkimResult.PERMERROR);
      assertThat(r.reason()).as(tag).contains("missing").containsPattern("(?<![a-z])" + tag + "=");
    }
  }

  @Test
  void eachDuplicatedTagIsAPermerrorNamingIt() {
    Map<String, String> valid = tags(signatureField(settings(rsa), MESSAGE));
    for (Map.Entry<String, String> e : valid.entrySet()) {
      String field = signatureText(valid) + "; " + e.getKey() + "=" + e.getValue();
      VerificationResult r = only(withField(field, MESSAGE));
      assertThat(r.result()).as(e.getKey()).isEqualTo(DkimResult.PERMERROR);
      assertThat(r.reason())
          .as(e.getKey())
          .contains("duplicate")
          .containsPattern("(?<![a-z])" + e.getKey() + "=");
    }
  }

  // ---- semantically wrong tags

  @Test
  void hWithoutFromIsAPermerror() {
    VerificationResult r = only(withField(edited(t -> t.put("h", "to:subject:date")), MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.reason()).contains("h=").containsIgnoringCase("from");
  }

  /** Signed for real, so only the syntax of d= or s= (RFC 6376 §3.5) can make it fail. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "d=exa mple.org",
        "d=ex@mple.org",
        "d=example.org/x",
        "s=sel ector",
        "s=../../etc",
        "s=sel,x"
      })
  void aDomainOrSelectorThatIsNoDomainNameIsAPermerror(String tag) {
    String value = tag.substring(2);
    SignerSettings st =
        tag.startsWith("d=")
            ? SignerSettings.of(value, "rsa2023", rsa).withHeaders(List.of("from"), List.of())
            : SignerSettings.of("example.org", value, rsa).withHeaders(List.of("from"), List.of());
    VerificationResult r = only(withField(signatureField(st, MESSAGE), MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.reason()).contains(tag.substring(0, 2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"@evil.example", "alice@notexample.org", "alice@org", "alice"})
  void anIdentityOutsideTheDomainIsAPermerror(String identity) {
    VerificationResult r = only(withField(edited(t -> t.put("i", identity)), MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.reason()).contains("i=");
  }

  @Test
  void anIdentityInASubdomainPasses() {
    SignerSettings st = settings(rsa).withIdentity(Optional.of("alice@mail.example.org"));
    VerificationResult r = only(withField(signatureField(st, MESSAGE), MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PASS);
    assertThat(r.identity()).isEqualTo("alice@mail.example.org");
  }

  @Test
  void anExpiryBeforeTheTimestampIsAPermerror() {
    // Neither in the future beyond the allowed drift nor expired: only x= < t= is wrong.
    VerificationResult r =
        only(
            withField(
                edited(
                    t -> {
                      t.put("t", Long.toString(NOW + 200));
                      t.put("x", Long.toString(NOW + 100));
                    }),
                MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.reason()).contains("x=").contains("t=");
  }

  @Test
  void aBodyShorterThanLIsAFail() {
    SignerSettings st = settings(rsa).withOptions(false, true, OptionalLong.empty());
    String field = signatureField(st, MESSAGE);
    assertThat(only(withField(field, MESSAGE)).result()).isEqualTo(DkimResult.PASS);
    String cut = MESSAGE.substring(0, MESSAGE.indexOf("See you"));
    VerificationResult r = only(withField(field, cut));
    assertThat(r.result()).isEqualTo(DkimResult.FAIL);
    assertThat(r.reason()).contains("l=");
    VerificationResult huge = only(withField(edited(t -> t.put("l", "999999")), MESSAGE));
    assertThat(huge.result()).isEqualTo(DkimResult.FAIL);
    assertThat(huge.reason()).contains("l=");
  }

  static Stream<Arguments> unsupportedValues() {
    return Stream.of(
        Arguments.of("v", "2", "v=2"),
        Arguments.of("a", "rsa-sha512", "a=rsa-sha512"),
        Arguments.of("a", "ed448-sha256", "a=ed448-sha256"),
        Arguments.of("c", "relaxed/strict", "c=relaxed/strict"),
        Arguments.of("c", "nofws", "c=nofws"),
        Arguments.of("q", "dns/xml", "q=dns/xml"),
        Arguments.of("q", "https", "q=https"));
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("unsupportedValues")
  void anUnsupportedValueIsAPermerrorNamingIt(String tag, String value, String reason) {
    VerificationResult r = only(withField(edited(t -> t.put(tag, value)), MESSAGE));
    assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(r.reason()).contains("unsupported").contains(reason);
  }

  // ---- malformed messages

  /** RFC 5322 §2.2 field syntax aside: a line without a colon is kept and signs like any. */
  @Test
  void aHeaderLineWithoutColonIsNotSignedAndDoesNotHurt() {
    String added = MESSAGE.replace("Date:", "this line has no colon\r\nDate:");
    VerificationResult r = only(withField(signatureField(settings(rsa), MESSAGE), added));
    assertThat(r.result()).isEqualTo(DkimResult.PASS);
    assertThat(r.reason()).isEqualTo("signature verified");
    VerificationResult signedWithIt = only(withField(signatureField(settings(rsa), added), added));
    assertThat(signedWithIt.result()).isEqualTo(DkimResult.PASS);
  }

  @Test
  void aSignatureLineWithoutColonIsNoSignature() {
    String field = signatureField(settings(rsa), MESSAGE).replaceFirst(":", "");
    assertThat(verify(withField(field, MESSAGE))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"simple/simple", "relaxed/relaxed", "relaxed/simple", "simple/relaxed"})
  void eightBitBytesInHeadersAndBodyAreSignedByteForByte(String c) {
    String message =
        MESSAGE
            .replace("Subject: lunch", "Subject: d\u00e9jeuner \u00e0 midi \u00ff")
            .replace("See you", "\u0080\u00a0\u00c9\u00ff See you \u00e9");
    SignerSettings st = settings(rsa).withCanonicalization(canonicalization(c));
    String field = signatureField(st, message);
    assertThat(only(withField(field, message)).result()).isEqualTo(DkimResult.PASS);

    VerificationResult body = only(withField(field, message.replace('\u00c9', '\u00e9')));
    assertThat(body.result()).isEqualTo(DkimResult.FAIL);
    assertThat(body.reason()).contains("body hash");
    VerificationResult header = only(withField(field, message.replace("d\u00e9j", "d\u00c9j")));
    assertThat(header.result()).isEqualTo(DkimResult.FAIL);
    assertThat(header.reason()).contains("signature did not verify");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "From: a@example.org\r\nSubject: x\r\n",
        "From: a@example.org\r\nSubject: x",
        "From: a@example.org\r\nSubject: x\r\n\r\n"
      })
  void aMessageWithoutBodyHasTheEmptyBodyHash(String message) {
    for (SigningKey key : List.of(rsa, ed)) {
      for (String c : List.of("relaxed/simple", "simple/relaxed")) {
        Canonicalization.Pair pair = canonicalization(c);
        String field = signatureField(settings(key).withCanonicalization(pair), message);
        String empty = pair.body() == Canonicalization.SIMPLE ? "\r\n" : "";
        assertThat(tags(field).get("bh")).as(c).isEqualTo(sha256(empty));
        VerificationResult r = only(withField(field, message));
        assertThat(r.result()).as(c).isEqualTo(DkimResult.PASS);
        // The same headers with a blank line and no body: the same body, so still a pass.
        String withBlank =
            message.endsWith("\r\n\r\n")
                ? message
                : message.endsWith("\r\n") ? message + "\r\n" : message + "\r\n\r\n";
        assertThat(only(withField(field, withBlank)).result()).as(c).isEqualTo(DkimResult.PASS);
      }
    }
  }

  static Stream<Arguments> oddBodies() {
    return Stream.of(
        // A bare CR is data, not a line end: both algorithms keep it and add the final CRLF.
        Arguments.of("\r\r\r", "simple/simple", "\r\r\r\r\n"),
        Arguments.of("\r\r\r", "relaxed/relaxed", "\r\r\r\r\n"),
        // Bare LFs become CRLFs; empty lines at the end go.
        Arguments.of("\n\n\n", "simple/simple", "\r\n"),
        Arguments.of("\n\n\n", "relaxed/relaxed", ""),
        Arguments.of("x\n\n", "simple/simple", "x\r\n"),
        Arguments.of(" \t \r\n\t\r\n", "relaxed/relaxed", ""),
        Arguments.of(" \t \r\n\t\r\n", "simple/simple", " \t \r\n\t\r\n"));
  }

  @ParameterizedTest
  @MethodSource("oddBodies")
  void aBodyOfOnlyLineEndsHashesAsTheRfcSays(String body, String c, String canonical) {
    String message = "From: a@example.org\r\nSubject: odd\r\n\r\n" + body;
    String field = signatureField(settings(rsa).withCanonicalization(canonicalization(c)), message);
    assertThat(tags(field).get("bh")).isEqualTo(sha256(canonical));
    VerificationResult r = only(withField(field, message));
    assertThat(r.result()).isEqualTo(DkimResult.PASS);
  }

  @Test
  void anEmptyMessageIsRefusedAndHasNoSignatures() {
    DkimSigner signer = new DkimSigner(settings(rsa));
    SigningSession s = signer.newSession(NOW);
    new MessageParser(s).finish();
    SignResult result = signer.finish(s);
    assertThat(result).isInstanceOf(SignResult.Refused.class);
    assertThat(((SignResult.Refused) result).reason()).containsIgnoringCase("from");

    VerificationSession v = verifier.newSession();
    MessageParser p = new MessageParser(v);
    p.update(new byte[0], 0, 0);
    p.finish();
    List<VerificationResult> results = v.finish(Runnable::run).toCompletableFuture().join();
    assertThat(results).isEmpty();
    assertThat(v.hasSignatures()).isFalse();
    assertThat(AuthenticationResults.fieldValue("mx.example.org", results))
        .isEqualTo("mx.example.org; dkim=none");
  }

  /** 5 MB of header fields, streamed: the parser keeps 1 MiB and says the block is too large. */
  @Test
  void aHugeHeaderBlockIsAPermerrorNotAnOutOfMemoryError() {
    String field = signatureField(settings(rsa), MESSAGE);
    int headers = MESSAGE.indexOf("\r\n\r\n") + 2;
    byte[] top = bytes(field + "\r\n" + MESSAGE.substring(0, headers));
    byte[] bottom = bytes(MESSAGE.substring(headers));
    byte[] filler = bytes(("X-Filler: " + "x".repeat(100) + "\r\n").repeat(600));
    byte[] oneLine = bytes("y".repeat(64 * 1024));
    int copies = 5 * 1024 * 1024 / filler.length + 1;
    for (byte[] chunk : List.of(filler, oneLine)) {
      VerificationSession v = verifier.newSession();
      MessageParser p = new MessageParser(v);
      p.update(top, 0, top.length);
      if (chunk == oneLine) {
        p.update(bytes("X-Long: "), 0, 8);
      }
      for (int i = 0; i < copies; i++) {
        p.update(chunk, 0, chunk.length);
      }
      if (chunk == oneLine) {
        p.update(bytes("\r\n"), 0, 2);
      }
      p.update(bottom, 0, bottom.length);
      p.finish();
      List<VerificationResult> results = v.finish(Runnable::run).toCompletableFuture().join();
      assertThat(results).hasSize(1);
      assertThat(results.get(0).result()).isEqualTo(DkimResult.PERMERROR);
      assertThat(results.get(0).reason())
          .contains("header block")
          .contains(Integer.toString(MessageParser.DEFAULT_MAX_HEADER_BYTES));
    }
    DkimSigner signer = new DkimSigner(settings(rsa));
    SigningSession s = signer.newSession(NOW);
    MessageParser p = new MessageParser(s);
    for (int i = 0; i < copies; i++) {
      p.update(filler, 0, filler.length);
    }
    p.update(bytes(MESSAGE), 0, MESSAGE.length());
    p.finish();
    SignResult refused = signer.finish(s);
    assertThat(refused).isInstanceOf(SignResult.Refused.class);
    assertThat(((SignResult.Refused) refused).reason()).contains("header block");
  }

  /**
   * A signature's tags are the sender's bytes; the Authentication-Results text quoting them must
   * still be a header value: a NUL would end the milter's header reply early, a bare CR starts a
   * new line for some readers, and 8-bit or control bytes are not allowed in a header at all.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "a=rsa\u0000sha256",
        "d=exam\rple.org",
        "s=s\u00e9l",
        "a=rsa\u001bsha1",
        "x\u00e9y=1",
        "d=example.org\r\n x"
      })
  void authenticationResultsNeverCarriesRawControlOr8BitBytes(String tag) {
    String name = tag.substring(0, tag.indexOf('='));
    String value = tag.substring(tag.indexOf('=') + 1);
    List<VerificationResult> results = verify(withField(edited(t -> t.put(name, value)), MESSAGE));
    assertThat(results).hasSize(1);
    assertThat(results.get(0).passed()).isFalse();
    String ar =
        AuthenticationResults.fieldValue("mx.example.org", results)
            + AuthenticationResults.resultSpec(results.get(0), true);
    assertThat(ar.replace("\r\n\t", " ").replace("\r\n ", " "))
        .as("%s gave %s", tag, ar)
        .matches("[\\x20-\\x7e\\t]*");
  }

  /**
   * i= is dkim-quoted-printable (RFC 6376 §3.5), so a sender can sign an identity whose local part
   * decodes to CR LF: reported raw, it would end the Authentication-Results field and start a field
   * of the sender's choosing, such as a forged Authentication-Results.
   */
  @Test
  void aSignedIdentityCannotInjectAHeaderField() {
    String identity = "=0D=0AAuthentication-Results:=20mx.example.org=3B=20dkim=3Dpass@example.org";
    SignerSettings st = settings(rsa).withIdentity(Optional.of(identity));
    List<VerificationResult> results = verify(withField(signatureField(st, MESSAGE), MESSAGE));
    assertThat(results).hasSize(1);
    String ar = AuthenticationResults.fieldValue("mx.example.org", results);
    assertThat(ar.replace("\r\n\t", " ").replace("\r\n ", " "))
        .as("Authentication-Results for i=%s: %s", identity, ar)
        .matches("[\\x20-\\x7e\\t]*");
  }

  // ---- helpers

  private static SignerSettings settings(SigningKey key) {
    return SignerSettings.of("example.org", key == ed ? "ed2023" : "rsa2023", key)
        .withHeaders(List.of("from", "to", "subject", "date", "message-id"), List.of("from"));
  }

  private static Canonicalization.Pair canonicalization(String c) {
    return Canonicalization.Pair.parse(c).orElseThrow();
  }

  /** Signs {@code message} and returns the DKIM-Signature field, fed one byte at a time too. */
  private static String signatureField(SignerSettings st, String message) {
    String whole = sign(st, bytes(message), false);
    assertThat(sign(st, bytes(message), true)).isEqualTo(whole);
    return whole;
  }

  private static String sign(SignerSettings st, byte[] message, boolean bytewise) {
    DkimSigner signer = new DkimSigner(st);
    SigningSession s = signer.newSession(NOW);
    feed(new MessageParser(s), message, bytewise);
    SignResult r = signer.finish(s);
    assertThat(r).isInstanceOf(SignResult.Signed.class);
    return ((SignResult.Signed) r).field().raw();
  }

  /** Verifies whole and one byte at a time; both must agree. */
  private static List<VerificationResult> verify(byte[] message) {
    List<VerificationResult> whole = verify(message, false);
    assertThat(verify(message, true)).as("one byte at a time").isEqualTo(whole);
    return whole;
  }

  private static List<VerificationResult> verify(byte[] message, boolean bytewise) {
    VerificationSession v = verifier.newSession();
    feed(new MessageParser(v), message, bytewise);
    return v.finish(Runnable::run).toCompletableFuture().join();
  }

  private static VerificationResult only(byte[] message) {
    List<VerificationResult> results = verify(message);
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  private static void feed(MessageParser p, byte[] message, boolean bytewise) {
    if (bytewise) {
      for (int i = 0; i < message.length; i++) {
        p.update(message, i, 1);
      }
    } else {
      p.update(message, 0, message.length);
    }
    p.finish();
  }

  private static byte[] withField(String field, String message) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(bytes(field + "\r\n"));
    out.writeBytes(bytes(message));
    return out.toByteArray();
  }

  /** A valid field's tags changed by {@code change}; a null value writes the name alone. */
  private static String edited(Consumer<Map<String, String>> change) {
    Map<String, String> t = tags(signatureField(settings(rsa), MESSAGE));
    change.accept(t);
    return signatureText(t);
  }

  private static Consumer<Map<String, String>> edit(Consumer<Map<String, String>> change) {
    return change;
  }

  /** The tags of a field, unfolded, in order. */
  private static Map<String, String> tags(String field) {
    Map<String, String> tags = new LinkedHashMap<>();
    String value = field.substring(field.indexOf(':') + 1).replace("\r\n", "");
    for (String spec : value.split(";")) {
      int eq = spec.indexOf('=');
      if (eq > 0) {
        tags.put(spec.substring(0, eq).strip(), spec.substring(eq + 1).replaceAll("[ \t]", ""));
      }
    }
    return tags;
  }

  private static String signatureText(Map<String, String> tags) {
    List<String> specs = new ArrayList<>();
    tags.forEach((k, v) -> specs.add(v == null ? k : k + "=" + v));
    return DkimSignature.FIELD_NAME + ": " + String.join("; ", specs);
  }

  private static String sha256(String canonical) {
    try {
      return Base64.getEncoder()
          .encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes(canonical)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
