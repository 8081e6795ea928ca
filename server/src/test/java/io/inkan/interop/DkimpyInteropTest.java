package io.inkan.interop;

import static io.inkan.interop.InteropMessages.alterBody;
import static io.inkan.interop.InteropMessages.alterSubject;
import static io.inkan.interop.InteropMessages.concat;
import static io.inkan.interop.InteropMessages.headerBlock;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.DkimResult;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.interop.DkimpyProcess.ToolRun;
import io.inkan.interop.InteropMessages.Divergence;
import io.inkan.interop.InteropMessages.Sample;
import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
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

  @TempDir static Path work;
  private static Path dnsFile;
  private static InkanDkim inkan;
  private static DkimpyProcess dkimpy;

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
    dkimpy = new DkimpyProcess(python, tool, work);
    Map<String, String> records = new TreeMap<>();
    StringBuilder dns = new StringBuilder("# key records for DkimpyInteropTest\n");
    for (Key k : Key.values()) {
      String name = k.selector + "._domainkey." + DOMAIN;
      records.put(name, k.record());
      dns.append(name).append('\t').append(k.record()).append('\n');
    }
    inkan = new InkanDkim(records);
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
    assertDkimpyPasses(inkan.sign(settings(key, c), sample.bytes()), 1);
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
    assertDkimpyPasses(inkan.sign(settings(key, c), message), 1);
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
    byte[] signed = inkan.sign(s, sample.bytes());
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
    byte[] signed = inkan.sign(settings(key, c), Sample.CRLF_FOLDED.bytes());
    assertDkimpyPasses(signed, 1);
    assertDkimpyFails(alterBody(signed));
    assertDkimpyFails(alterSubject(signed));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("keysAndPairs")
  void inkanRejectsAlteredDkimpySignedMessage(Key key, Canonicalization.Pair c) {
    byte[] signed = dkimpySign(key, c, Sample.CRLF_FOLDED.bytes());
    assertInkanPasses(signed, 1);
    assertThat(inkan.verify(alterBody(signed)))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo(DkimResult.FAIL))
        .satisfies(r -> assertThat(r.reason()).contains("body hash"));
    assertThat(inkan.verify(alterSubject(signed)))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo(DkimResult.FAIL));
  }

  @Test
  void bothVerifyAMessageSignedByBoth() {
    Canonicalization.Pair relaxed = Canonicalization.Pair.RELAXED_RELAXED;
    byte[] once = dkimpySign(Key.ED25519_RFC8463, relaxed, Sample.UTF8_HEADERS.bytes());
    byte[] twice = inkan.sign(settings(Key.RSA2048, relaxed), once);
    assertDkimpyPasses(twice, 2);
    assertInkanPasses(twice, 2);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Divergence.class)
  void knownDivergenceFailsOnlyWhenRelaxed(Divergence d) {
    Canonicalization.Pair simple =
        new Canonicalization.Pair(Canonicalization.SIMPLE, Canonicalization.SIMPLE);
    assertDkimpyPasses(inkan.sign(settings(Key.RSA2048, simple), d.message), 1);
    assertInkanPasses(dkimpySign(Key.RSA2048, simple, d.message), 1);
    assertDkimpyFails(inkan.sign(settings(Key.RSA2048, d.diverging), d.message));
    assertThat(inkan.verify(dkimpySign(Key.RSA2048, d.diverging, d.message)))
        .singleElement()
        .satisfies(r -> assertThat(r.result()).isEqualTo(DkimResult.FAIL));
  }

  // --- Inkan ---

  private static SignerSettings settings(Key key, Canonicalization.Pair c) {
    return SignerSettings.of(DOMAIN, key.selector, key.signingKey()).withCanonicalization(c);
  }

  private static void assertInkanPasses(byte[] signed, int signatures) {
    List<VerificationResult> results = inkan.verify(signed);
    assertThat(results)
        .as("Inkan's results for\n%s", headerBlock(signed))
        .hasSize(signatures)
        .allSatisfy(r -> assertThat(r.result()).as(r.reason()).isEqualTo(DkimResult.PASS));
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
    ToolRun run = dkimpy.run(message, args);
    assertThat(run.exit()).as("dkimpy sign failed: %s", run.stderr()).isZero();
    return run.stdout();
  }

  private static void assertDkimpyPasses(byte[] signed, int signatures) {
    ToolRun run = dkimpy.run(signed, List.of("verify", "--dns", dnsFile.toString(), "--all"));
    assertThat(new String(run.stdout(), UTF_8).lines())
        .as("dkimpy on\n%s\nsaid: %s", headerBlock(signed), run.stderr())
        .containsExactlyElementsOf(Collections.nCopies(signatures, "pass"));
    assertThat(run.exit()).isZero();
  }

  private static void assertDkimpyFails(byte[] signed) {
    ToolRun run = dkimpy.run(signed, List.of("verify", "--dns", dnsFile.toString(), "--all"));
    assertThat(new String(run.stdout(), UTF_8).lines())
        .as("dkimpy on an altered message\n%s", headerBlock(signed))
        .containsExactly("fail");
    assertThat(run.exit()).isEqualTo(1);
  }
}
