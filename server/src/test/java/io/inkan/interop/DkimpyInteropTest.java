package io.inkan.interop;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.DkimResult;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.SignResult;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.testing.Prerequisites;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Interop with dkimpy (Debian python3-dkim) both ways: dkimpy verifies what Inkan signs and Inkan
 * verifies what dkimpy signs, for every {@code c=} pair (RFC 6376 §3.4), rsa-sha256 and
 * ed25519-sha256 (RFC 8463), and the {@code l=}, {@code z=}, {@code i=} and {@code x=} tags.
 * Altered messages must fail both ways, so a verifier that passes everything cannot pass this test.
 * dkimpy runs through {@code ops/interop/dkimpy_tool.py}; key records come from a file.
 */
@Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
class DkimpyInteropTest {
  private static final String DOMAIN = "example.com";
  private static final String IDENTITY = "dkim-test@mail.example.com";

  /** Odd, milter-like chunks, so that CR and LF fall on both sides of chunk boundaries. */
  private static final int CHUNK = 8191;

  @TempDir static Path work;
  private static Path dnsFile;
  private static Map<String, String> keyRecords;
  private static DkimpyServer dkimpy;

  enum Key {
    RSA2048("rsa2048", "rsa2048.private"),
    RSA1024_RFC8463("rfc8463rsa", "rfc8463-rsa.private"),
    ED25519_RFC8463("rfc8463ed", "rfc8463-ed25519.key");

    final String selector;
    final String file;

    Key(String selector, String file) {
      this.selector = selector;
      this.file = file;
    }

    Path path() {
      try {
        return Paths.get(DkimpyInteropTest.class.getResource("/keys/" + file).toURI());
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }

    SigningKey signingKey() {
      try {
        return PrivateKeyReader.read(Files.readString(path(), ISO_8859_1));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(file + ": " + e.getMessage(), e);
      }
    }

    String record() {
      SigningKey k = signingKey();
      String type = k.type() == KeyType.RSA ? "rsa" : "ed25519";
      return "v=DKIM1; k=" + type + "; p=" + k.publicKeyBase64();
    }
  }

  /** Tags beyond the defaults. */
  enum Option {
    LENGTH,
    COPIED_HEADERS,
    IDENTITY,
    EXPIRATION
  }

  @BeforeAll
  static void findDkimpy() throws IOException {
    Path python = Prerequisites.dkimpyPython();
    Path tool = Prerequisites.repoDir().resolve("ops/interop/dkimpy_tool.py");
    assertThat(tool).isRegularFile();
    dkimpy = new DkimpyServer(python, tool, work.resolve("serve.err"));
    Map<String, String> records = new TreeMap<>();
    StringBuilder dns = new StringBuilder("# key records for DkimpyInteropTest\n");
    for (Key k : Key.values()) {
      String name = k.selector + "._domainkey." + DOMAIN;
      records.put(name, k.record());
      dns.append(name).append('\t').append(k.record()).append('\n');
    }
    keyRecords = Map.copyOf(records);
    dnsFile = Files.writeString(work.resolve("dns.txt"), dns);
  }

  @AfterAll
  static void stopDkimpy() throws IOException {
    if (dkimpy != null) {
      dkimpy.close();
    }
  }

  static Stream<Arguments> matrix() {
    List<Arguments> all = new ArrayList<>();
    for (Arguments kc : keysAndPairs().toList()) {
      for (Sample s : Sample.values()) {
        all.add(Arguments.of(kc.get()[0], kc.get()[1], s));
      }
    }
    return all.stream();
  }

  static Stream<Arguments> keysAndPairs() {
    List<Arguments> all = new ArrayList<>();
    for (Key k : Key.values()) {
      for (Canonicalization h : Canonicalization.values()) {
        for (Canonicalization b : Canonicalization.values()) {
          Canonicalization.Pair c = new Canonicalization.Pair(h, b);
          all.add(Arguments.of(k, Named.of(c.tagValue(), c)));
        }
      }
    }
    return all.stream();
  }

  static Stream<Arguments> optionMatrix() {
    List<Arguments> all = new ArrayList<>();
    for (Arguments kc : keysAndPairs().toList()) {
      for (Sample s : List.of(Sample.CRLF_FOLDED, Sample.EMPTY_BODY)) {
        for (Option o : Option.values()) {
          all.add(Arguments.of(kc.get()[0], kc.get()[1], s, o));
        }
      }
    }
    return all.stream();
  }

  /** The options dkimpy can sign with: it writes neither z= nor x=. */
  static Stream<Arguments> dkimpyOptionMatrix() {
    return optionMatrix().filter(a -> a.get()[3] == Option.LENGTH || a.get()[3] == Option.IDENTITY);
  }

  @Test
  void rfc8463KeysPublishTheirAppendixRecords() {
    assertThat(Key.ED25519_RFC8463.signingKey().publicKeyBase64())
        .isEqualTo("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
    assertThat(Key.RSA1024_RFC8463.signingKey().publicKeyBase64())
        .isEqualTo(
            "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQi"
                + "Y/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9"
                + "PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB");
    assertThat(Key.RSA2048.signingKey().bits()).isEqualTo(2048);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("matrix")
  void dkimpyVerifiesInkanSignature(Key key, Canonicalization.Pair c, Sample sample) {
    assertDkimpyPasses(inkanSign(settings(key, c), sample.bytes()), 1);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("matrix")
  void inkanVerifiesDkimpySignature(Key key, Canonicalization.Pair c, Sample sample) {
    assertInkanPasses(dkimpySign(key, c, sample.bytes()), 1);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("keysAndPairs")
  void bothWaysOnDkimpysOwnTestMessage(Key key, Canonicalization.Pair c) throws IOException {
    byte[] message = Files.readAllBytes(Prerequisites.corpus("dkimpy").resolve("test.message"));
    assertDkimpyPasses(inkanSign(settings(key, c), message), 1);
    assertInkanPasses(dkimpySign(key, c, message), 1);
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("optionMatrix")
  void dkimpyVerifiesInkanSignatureWithOption(
      Key key, Canonicalization.Pair c, Sample sample, Option option) {
    SignerSettings s = settings(key, c);
    s =
        switch (option) {
          case LENGTH -> s.withOptions(false, true, OptionalLong.empty());
          case COPIED_HEADERS -> s.withOptions(true, false, OptionalLong.empty());
          case IDENTITY -> s.withIdentity(Optional.of(IDENTITY));
          case EXPIRATION -> s.withOptions(false, false, OptionalLong.of(3600));
        };
    byte[] signed = inkanSign(s, sample.bytes());
    String tag =
        switch (option) {
          case LENGTH -> " l=";
          case COPIED_HEADERS -> " z=";
          case IDENTITY -> " i=" + IDENTITY + ";";
          case EXPIRATION -> " x=";
        };
    assertThat(headerBlock(signed)).contains(tag);
    assertDkimpyPasses(signed, 1);
    if (option == Option.LENGTH && sample == Sample.CRLF_FOLDED) {
      assertDkimpyPasses(concat(signed, "appended after signing\r\n".getBytes(UTF_8)), 1);
    }
  }

  @ParameterizedTest(name = "{0} {1} {2} {3}")
  @MethodSource("dkimpyOptionMatrix")
  void inkanVerifiesDkimpySignatureWithOption(
      Key key, Canonicalization.Pair c, Sample sample, Option option) {
    String[] extra =
        option == Option.LENGTH ? new String[] {"--length"} : new String[] {"--identity", IDENTITY};
    byte[] signed = dkimpySign(key, c, sample.bytes(), extra);
    assertInkanPasses(signed, 1);
    if (option == Option.LENGTH && sample == Sample.CRLF_FOLDED) {
      assertInkanPasses(concat(signed, "appended after signing\r\n".getBytes(UTF_8)), 1);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("keysAndPairs")
  void dkimpyRejectsAlteredInkanSignedMessage(Key key, Canonicalization.Pair c) {
    byte[] signed = inkanSign(settings(key, c), Sample.CRLF_FOLDED.bytes());
    assertDkimpyPasses(signed, 1);
    assertDkimpyFails(alterBody(signed));
    assertDkimpyFails(alterSubject(signed));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("keysAndPairs")
  void inkanRejectsAlteredDkimpySignedMessage(Key key, Canonicalization.Pair c) {
    byte[] signed = dkimpySign(key, c, Sample.CRLF_FOLDED.bytes());
    assertInkanPasses(signed, 1);
    assertThat(inkanVerify(alterBody(signed)))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo(DkimResult.FAIL))
        .satisfies(r -> assertThat(r.reason()).contains("body hash"));
    assertThat(inkanVerify(alterSubject(signed)))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo(DkimResult.FAIL));
  }

  @Test
  void bothVerifyAMessageSignedByBoth() {
    Canonicalization.Pair relaxed = Canonicalization.Pair.RELAXED_RELAXED;
    byte[] once = dkimpySign(Key.ED25519_RFC8463, relaxed, Sample.UTF8_HEADERS.bytes());
    byte[] twice = inkanSign(settings(Key.RSA2048, relaxed), once);
    assertDkimpyPasses(twice, 2);
    assertInkanPasses(twice, 2);
  }

  /**
   * Inputs on which Inkan and dkimpy read RFC 6376 differently. Neither is valid mail (over SMTP a
   * body always ends in CRLF; RFC 5322 allows no bare CR in a header field), so real mail is not
   * affected, but each makes one relaxed canonicalization disagree. This test pins today's
   * behaviour: it fails both ways in the relaxed case and passes in the simple one. Once the
   * engine's behaviour is settled, move the message into {@link Sample}.
   */
  enum Divergence {
    /**
     * Body {@code "last line \t "} without a final CRLF, relaxed body (§3.4.4). Inkan drops the
     * white space, then adds the CRLF ({@code "last line\r\n"}); dkimpy adds the CRLF to the
     * unstripped line ({@code "last line \r\n"}); OpenDKIM adds no CRLF at all.
     */
    TRAILING_WHITE_SPACE_WITHOUT_FINAL_LINE_END(
        new Canonicalization.Pair(Canonicalization.SIMPLE, Canonicalization.RELAXED),
        concat(
            Sample.crlf("From: alice@example.com\nSubject: no final CRLF\n\nfirst line\n"),
            Sample.text("last line \t "))),
    /**
     * A bare CR inside a header value, relaxed header (§3.4.2). Inkan deletes every CR and LF of
     * the value; dkimpy removes only CRLF pairs and keeps the CR; OpenDKIM turns it into a space.
     */
    BARE_CR_IN_HEADER(
        new Canonicalization.Pair(Canonicalization.RELAXED, Canonicalization.SIMPLE),
        Sample.crlf("From: alice@example.com\nSubject: bare\rCR inside\n\nbody\n"));

    final Canonicalization.Pair diverging;
    final byte[] message;

    Divergence(Canonicalization.Pair diverging, byte[] message) {
      this.diverging = diverging;
      this.message = message;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Divergence.class)
  void knownDivergenceFailsOnlyWhenRelaxed(Divergence d) {
    Canonicalization.Pair simple =
        new Canonicalization.Pair(Canonicalization.SIMPLE, Canonicalization.SIMPLE);
    assertDkimpyPasses(inkanSign(settings(Key.RSA2048, simple), d.message), 1);
    assertInkanPasses(dkimpySign(Key.RSA2048, simple, d.message), 1);
    assertDkimpyFails(inkanSign(settings(Key.RSA2048, d.diverging), d.message));
    assertThat(inkanVerify(dkimpySign(Key.RSA2048, d.diverging, d.message)))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo(DkimResult.FAIL));
  }

  // --- Inkan ---

  private static SignerSettings settings(Key key, Canonicalization.Pair c) {
    return SignerSettings.of(DOMAIN, key.selector, key.signingKey()).withCanonicalization(c);
  }

  /** Signs with Inkan and puts the field on top, in the message's own line ends. */
  private static byte[] inkanSign(SignerSettings settings, byte[] message) {
    DkimSigner signer = new DkimSigner(settings);
    SigningSession session = signer.newSession(Instant.now().getEpochSecond());
    feed(new MessageParser(session), message);
    SignResult result = signer.finish(session);
    assertThat(result).isInstanceOf(SignResult.Signed.class);
    String field = ((SignResult.Signed) result).field().raw() + "\r\n";
    if (!usesCrlf(message)) {
      field = field.replace("\r\n", "\n");
    }
    return concat(field.getBytes(ISO_8859_1), message);
  }

  private static List<VerificationResult> inkanVerify(byte[] message) {
    DkimVerifier verifier =
        new DkimVerifier(
            VerifierSettings.defaults(),
            name -> {
              String record = keyRecords.get(name.toLowerCase(Locale.ROOT));
              return CompletableFuture.completedFuture(
                  record == null
                      ? new KeyLookupResult.NxDomain()
                      : new KeyLookupResult.Found(
                          List.of(KeyLookupResult.TxtRecord.of(record)), false));
            });
    VerificationSession session = verifier.newSession();
    feed(new MessageParser(session), message);
    return session.finish(Runnable::run).toCompletableFuture().join();
  }

  private static void assertInkanPasses(byte[] signed, int signatures) {
    List<VerificationResult> results = inkanVerify(signed);
    assertThat(results)
        .as("Inkan's results for\n%s", headerBlock(signed))
        .hasSize(signatures)
        .allSatisfy(r -> assertThat(r.result()).as(r.reason()).isEqualTo(DkimResult.PASS));
  }

  private static void feed(MessageParser parser, byte[] message) {
    for (int off = 0; off < message.length; off += CHUNK) {
      parser.update(message, off, Math.min(CHUNK, message.length - off));
    }
    parser.finish();
  }

  // --- dkimpy ---

  private static byte[] dkimpySign(
      Key key, Canonicalization.Pair c, byte[] message, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "sign",
                "--selector",
                key.selector,
                "--domain",
                DOMAIN,
                "--key",
                key.path().toString(),
                "--algorithm",
                key.signingKey().defaultAlgorithm().tagValue(),
                "--canon",
                c.tagValue()));
    args.addAll(Arrays.asList(extra));
    ToolRun run = dkimpy(message, args);
    assertThat(run.exit()).as("dkimpy sign failed: %s", run.stderr()).isZero();
    return run.stdout();
  }

  private static void assertDkimpyPasses(byte[] signed, int signatures) {
    ToolRun run = dkimpy(signed, List.of("verify", "--dns", dnsFile.toString(), "--all"));
    assertThat(new String(run.stdout(), UTF_8).lines())
        .as("dkimpy on\n%s\nsaid: %s", headerBlock(signed), run.stderr())
        .containsExactlyElementsOf(Collections.nCopies(signatures, "pass"));
    assertThat(run.exit()).isZero();
  }

  private static void assertDkimpyFails(byte[] signed) {
    ToolRun run = dkimpy(signed, List.of("verify", "--dns", dnsFile.toString(), "--all"));
    assertThat(new String(run.stdout(), UTF_8).lines())
        .as("dkimpy on an altered message\n%s", headerBlock(signed))
        .containsExactly("fail");
    assertThat(run.exit()).isEqualTo(1);
  }

  private record ToolRun(int exit, byte[] stdout, String stderr) {}

  private static ToolRun dkimpy(byte[] stdin, List<String> args) {
    try {
      Path dir = Files.createTempDirectory(work, "run");
      Path in = Files.write(dir.resolve("in"), stdin);
      int exit = dkimpy.run(in, dir.resolve("out"), dir.resolve("err"), args);
      ToolRun run =
          new ToolRun(
              exit,
              Files.readAllBytes(dir.resolve("out")),
              Files.readString(dir.resolve("err"), ISO_8859_1));
      for (String f : List.of("in", "out", "err")) {
        Files.deleteIfExists(dir.resolve(f)); // the 1 MB samples add up over ~500 runs
      }
      Files.delete(dir);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One long-lived {@code dkimpy_tool.py serve}: on a busy host importing dkim takes seconds, far
   * more than a signature, and this test runs the tool some 500 times.
   */
  private static final class DkimpyServer implements AutoCloseable {
    private final Process process;
    private final Writer requests;
    private final BufferedReader answers;
    private final Path log;

    DkimpyServer(Path python, Path tool, Path log) throws IOException {
      this.log = log;
      process =
          new ProcessBuilder(python.toString(), tool.toString(), "serve")
              .redirectError(log.toFile())
              .start();
      requests = new OutputStreamWriter(process.getOutputStream(), UTF_8);
      answers = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
    }

    /** Runs one command reading {@code in}, writing {@code out} and {@code err}; its exit code. */
    synchronized int run(Path in, Path out, Path err, List<String> args) throws IOException {
      List<String> fields = new ArrayList<>(List.of(in.toString(), out.toString(), err.toString()));
      fields.addAll(args);
      for (String f : fields) {
        if (f.contains("\t") || f.contains("\n")) {
          throw new IllegalArgumentException("a tab or line end in " + f);
        }
      }
      requests.write(String.join("\t", fields) + "\n");
      requests.flush();
      String answer = answers.readLine();
      if (answer == null) {
        throw new IllegalStateException(
            "dkimpy_tool.py serve ended: " + Files.readString(log, ISO_8859_1));
      }
      return Integer.parseInt(answer.trim());
    }

    @Override
    public void close() throws IOException {
      requests.close();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  // --- messages ---

  private static boolean usesCrlf(byte[] message) {
    int lf = indexOf(message, "\n".getBytes(ISO_8859_1), 0);
    return lf > 0 && message[lf - 1] == '\r';
  }

  /** The header block, for failure messages: it holds the signatures. */
  private static String headerBlock(byte[] message) {
    int end = bodyStart(message);
    return new String(message, 0, Math.min(end, 4000), UTF_8);
  }

  private static int bodyStart(byte[] m) {
    int crlf = indexOf(m, "\r\n\r\n".getBytes(ISO_8859_1), 0);
    int lf = indexOf(m, "\n\n".getBytes(ISO_8859_1), 0);
    if (crlf < 0 && lf < 0) {
      return m.length;
    }
    return crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf + 2;
  }

  private static byte[] alterBody(byte[] signed) {
    return toggleFirstLetter(signed, bodyStart(signed));
  }

  private static byte[] alterSubject(byte[] signed) {
    return toggleFirstLetter(signed, indexOf(signed, "\nSubject:".getBytes(ISO_8859_1), 0) + 9);
  }

  /** Flips the case of the first ASCII letter at or after {@code from}. */
  private static byte[] toggleFirstLetter(byte[] message, int from) {
    byte[] copy = message.clone();
    for (int i = from; i < copy.length; i++) {
      if ((copy[i] >= 'a' && copy[i] <= 'z') || (copy[i] >= 'A' && copy[i] <= 'Z')) {
        copy[i] ^= 0x20;
        return copy;
      }
    }
    throw new IllegalArgumentException("no letter to alter after offset " + from);
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Messages written here, each aimed at one canonicalization corner. */
  enum Sample {
    LF_PLAIN,
    CRLF_FOLDED,
    EMPTY_BODY,
    HEADERS_ONLY,
    UTF8_HEADERS,
    REPEATED_FIELDS,
    MIXED_LINE_ENDS,
    NO_FINAL_LINE_END,
    LARGE_BODY;

    byte[] bytes() {
      return switch (this) {
        case LF_PLAIN ->
            text(
                """
                From: Alice <alice@example.com>
                To: bob@example.org
                Subject: plain
                Date: Mon, 2 Mar 2026 10:00:00 +0000
                Message-ID: <plain@example.com>

                Hello Bob,

                a plain LF message.
                """);
        case CRLF_FOLDED ->
            crlf(
                """
                From: Alice Example
                 <alice@example.com>
                To: bob@example.org,
                \tcarol@example.org
                Subject:  folded   subject \s
                  with\ttabs and trailing white space \t
                Date: Mon, 2 Mar 2026 10:00:00 +0000
                Message-ID: <folded@example.com>
                Cc: \t
                X-Not-Signed: extra

                Line with trailing spaces  \s
                \tLine starting with a tab
                Inner   runs\tof \t white space
                 \s
                Last text line



                """);
        case EMPTY_BODY -> crlf("From: alice@example.com\nTo: bob@example.org\nSubject: empty\n\n");
        case HEADERS_ONLY -> crlf("From: alice@example.com\nSubject: no blank line, no body\n");
        case UTF8_HEADERS ->
            crlf(
                """
                From: Jürgen Müller <juergen@example.com>
                To: Zoë <zoe@example.org>
                Subject: Grüße aus Köln – 日本語のテスト
                MIME-Version: 1.0
                Content-Type: text/plain; charset=utf-8
                Content-Transfer-Encoding: 8bit

                Grüße, Zoë — ça va ?
                """);
        case REPEATED_FIELDS ->
            crlf(
                """
                To: first@example.org
                FROM: alice@example.com
                subject: repeated, odd case
                To: second@example.org
                Reply-To: a@example.com
                reply-to: b@example.com

                body
                """);
        case MIXED_LINE_ENDS ->
            concat(
                crlf("From: alice@example.com\nSubject: mixed\n\n\n  after an empty line\n"),
                text("bare LF\nbare CR\rsame line\r\nCR before space\r \t\r\n"));
        case NO_FINAL_LINE_END ->
            concat(
                crlf("From: alice@example.com\nSubject: no final line end\n\nfirst line\n"),
                text("last line without CRLF"));
        case LARGE_BODY -> largeBody();
      };
    }

    static byte[] text(String s) {
      return s.getBytes(UTF_8);
    }

    /** The text with each LF made CRLF. */
    static byte[] crlf(String s) {
      return text(s.replace("\n", "\r\n"));
    }

    private static byte[] largeBody() {
      StringBuilder sb = new StringBuilder(1 << 20);
      sb.append("From: alice@example.com\r\nTo: bob@example.org\r\nSubject: 1 MB\r\n\r\n");
      for (int i = 0; sb.length() < 1_000_000; i++) {
        sb.append("Line ").append(i).append(": the quick brown fox\tjumps  over the lazy dog");
        sb.append(i % 7 == 0 ? "  \t\r\n" : "\r\n");
        if (i % 101 == 0) {
          sb.append("\r\n");
        }
      }
      return sb.toString().getBytes(UTF_8);
    }
  }
}
