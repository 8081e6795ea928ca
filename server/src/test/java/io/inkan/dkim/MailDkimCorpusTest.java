package io.inkan.dkim;

import static io.inkan.dkim.DkimResult.PASS;
import static io.inkan.dkim.DkimResult.POLICY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The Mail::DKIM corpus ({@code /work/shared/corpus/maildkim}, see its README.md), read the strict
 * RFC 6376 way: every file's expected results are in {@link #EXPECTED}, with a comment wherever
 * that reading departs from the README's name-based rules. Two runs: with the legacy switches
 * (rsa-sha1 and 512-bit keys accepted, as the corpus predates RFC 8301) and with the defaults,
 * where every rsa-sha1 signature that parses is a policy result. Each file is fed whole and one
 * byte at a time; both must give the same results. The clock is fixed, so expiry is deterministic.
 */
class MailDkimCorpusTest {
  /** 2023-11-14T22:13:20Z: after every {@code t=} in the corpus, after ignore_7's {@code x=}. */
  private static final long NOW = 1_700_000_000L;

  private static final Map<String, Expect> EXPECTED = new TreeMap<>();

  static {
    // Rule 1: DomainKeys only. A DomainKey-Signature is no DKIM-Signature: no result at all
    // (dkim=none), the good_ ones included.
    for (String f :
        List.of(
            "bad_dk_1",
            "bad_dk_2",
            "bad_dk_3",
            "bad_dk_4",
            "bad_dk_5",
            "dk_headers_1",
            "dk_headers_2",
            "dk_multiple_1",
            "good_dk_1",
            "good_dk_2",
            "good_dk_3",
            "good_dk_4",
            "good_dk_5",
            "good_dk_6",
            "good_dk_7",
            "good_dk_gmail",
            "good_dk_yahoo")) {
      expect(f, "", "");
    }

    // Rule 2: pre-RFC drafts. No v= at all, or v=0.5: RFC 6376 §3.5 makes v= required and "1",
    // §6.1.1 makes anything else PERMFAIL, whatever the file name says (Perl passes the mine_
    // and good_ietf01 ones and skips good_ietf00; we never pass them).
    for (String f :
        List.of(
            "bad_ietf01_1",
            "bad_ietf01_2",
            "bad_ietf01_3",
            "good_ietf00_1",
            "good_ietf00_2",
            "good_ietf00_3",
            "good_ietf00_4",
            "good_ietf00_5",
            "good_ietf01_1",
            "good_ietf01_2",
            "mine_ietf01_1",
            "mine_ietf01_2",
            "mine_ietf01_3",
            "mine_ietf01_4")) {
      expect(f, "PERMERROR", "PERMERROR", "missing required tag v=");
    }
    expect("mine_ietf05_1", "PERMERROR", "PERMERROR", "v=0.5");

    // Rule 3: four draft signatures without v=.
    expect(
        "multiple_1",
        "PERMERROR PERMERROR PERMERROR PERMERROR",
        "PERMERROR PERMERROR PERMERROR PERMERROR",
        "tag v=",
        "tag v=",
        "tag v=",
        "tag v=");

    // Rule 4: v=0.5 drafts (Perl passes them; jDKIM and we do not: v= must be 1).
    for (String f : List.of("no_body_1", "no_body_2", "no_body_3")) {
      expect(f, "PERMERROR", "PERMERROR", "v=0.5");
    }

    // Rule 5: badkey_*. badkey_1..7 meant to test keys (NXDOMAIN, revoked, v=DKIM3, bare "t",
    // k=foobar, s=chat, h=bad) but are v=0.5 signatures, which fail before any key is fetched.
    for (String f :
        List.of(
            "badkey_1", "badkey_2", "badkey_3", "badkey_4", "badkey_5", "badkey_6", "badkey_7")) {
      expect(f, "PERMERROR", "PERMERROR", "v=0.5");
    }
    // Departures from rule 5: these keys differ from the good ones only by an RFC 4871 g= tag
    // (g=*poe, g= empty, g=jl*g against i=JLONG@ and i=foo@). RFC 6376 Appendix C.2: "the g= tag
    // has been deprecated ... and thus MUST now be ignored" (and §3.2: unrecognized tags MUST be
    // ignored). The signatures are otherwise valid, so the strict RFC 6376 reading is a pass.
    expect("badkey_8", "PASS", "POLICY", "verified");
    expect("badkey_9", "PASS", "POLICY", "verified");
    expect("badkey_12", "PASS", "POLICY", "verified");
    expect("badkey_13", "PASS", "POLICY", "verified");
    // RFC 6376 §3.6.1 t=s: the i= domain must not be a subdomain of d=.
    expect("badkey_10", "PERMERROR", "POLICY", "t=s");
    // Key h=md5:sha1 does not allow the signature's sha256 (§6.1.2 step 6).
    expect("badkey_11", "PERMERROR", "PERMERROR", "h=");
    // FAKE_DNS: "Query timed out" and SERVFAIL are temporary (§6.1.2 step 2).
    expect("badkey_14", "TEMPERROR", "POLICY", "Query timed out");
    expect("badkey_15", "TEMPERROR", "POLICY", "SERVFAIL");
    // RFC 8463 §4.2: p= is the raw 32-byte key; a SubjectPublicKeyInfo is no Ed25519 key.
    expect("badkey1_ed25519", "PERMERROR", "PERMERROR", "32 bytes");
    expect("badkey2_ed25519", "FAIL", "FAIL", "signature did not verify");
    expect("badkey3_ed25519", "FAIL", "FAIL", "body hash did not verify");
    expect("badkey4_ed25519", "PERMERROR", "PERMERROR", "NXDOMAIN");
    // One empty TXT string: no p=, so no valid key record.
    expect("badkey5_ed25519", "PERMERROR", "PERMERROR", "p=");

    // Rule 5: ignore_*.
    expect("ignore_1", "PERMERROR", "PERMERROR", "v=5");
    for (String f : List.of("ignore_2", "ignore_3", "ignore_4")) {
      expect(f, "PERMERROR", "PERMERROR", "v=0.5");
    }
    expect("ignore_5", "PERMERROR", "PERMERROR", "q=http");
    // "dns/special" is no recognized query method (only dns/txt is, §3.5 q=).
    expect("ignore_6", "PERMERROR", "PERMERROR", "q=dns/special");
    // x=1193229946 (2007-10-24) is before NOW; see ignore7VerifiesBeforeItsExpiry.
    expect("ignore_7", "FAIL", "POLICY", "expired");
    // i=jon@example.org is not within d=messiah.edu (§6.1.1 domain mismatch).
    expect("ignore_8", "PERMERROR", "PERMERROR", "not within d=");

    // Rule 5: bad_*.
    expect("bad_1", "PERMERROR", "PERMERROR", "missing required tag v=");
    // LF-only file with an altered message: must not crash, must not pass.
    expect("bad_1878954", "FAIL", "POLICY", "did not verify");

    // Rule 6: good ones pass with exactly one result.
    for (String f :
        List.of(
            "good_1878523",
            "good_rfc4871_3",
            "good_rfc4871_4",
            "goodkey_1",
            "goodkey_2",
            "goodkey_3",
            "goodkey_4")) {
      expect(f, "PASS", "POLICY", "verified");
    }
    // q=foo/bar:dns/txt:exam/ple: unknown methods are skipped; key has t=s and no i=.
    expect("good_83176", "PASS", "POLICY", "verified");
    // i= is dkim-quoted-printable (§3.5): =6Along, messiah=2Eedu and jlong=40messiah.edu.
    for (String f : List.of("good_qp_1", "good_qp_2", "good_qp_3")) {
      expect(f, "PASS", "POLICY", "verified");
    }
    expect("goodkey_ed25519", "PASS", "PASS", "verified");
    // Four signatures, in header order: c=foobar, the good one, b= altered, "synerr".
    expect(
        "multiple_2",
        "PERMERROR PASS FAIL PERMERROR",
        "PERMERROR POLICY POLICY PERMERROR",
        "c=foobar",
        "verified",
        "did not verify",
        "synerr");
  }

  @TestFactory
  Stream<DynamicTest> legacySwitches() {
    VerifierSettings settings =
        VerifierSettings.defaults().withAcceptSha1(true).withMinKeyBits(512).withClock(() -> NOW);
    return run(settings, true);
  }

  @TestFactory
  Stream<DynamicTest> rfc8301Defaults() {
    return run(VerifierSettings.defaults().withClock(() -> NOW), false);
  }

  @Test
  void everyFileHasAnExpectationAndEveryExpectationAFile() throws IOException {
    Path dir = Prerequisites.corpus("maildkim");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith(".txt"))
                  .map(n -> n.substring(0, n.length() - 4)))
          .containsExactlyInAnyOrderElementsOf(new TreeSet<>(EXPECTED.keySet()));
    }
  }

  @Test
  void ignore7VerifiesBeforeItsExpiry() throws IOException {
    Path dir = Prerequisites.corpus("maildkim");
    FakeDns dns = FakeDns.load(dir.resolve("FAKE_DNS.dat"));
    VerifierSettings settings =
        VerifierSettings.defaults()
            .withAcceptSha1(true)
            .withMinKeyBits(512)
            .withClock(() -> 1193229946L - 1);
    List<VerificationResult> results =
        verify(Files.readAllBytes(dir.resolve("ignore_7.txt")), settings, dns, Integer.MAX_VALUE);
    assertThat(results).extracting(VerificationResult::result).containsExactly(PASS);
  }

  private static Stream<DynamicTest> run(VerifierSettings settings, boolean legacy) {
    Path dir = Prerequisites.corpus("maildkim");
    FakeDns dns = FakeDns.load(dir.resolve("FAKE_DNS.dat"));
    return EXPECTED.entrySet().stream()
        .map(
            e ->
                DynamicTest.dynamicTest(
                    e.getKey() + ".txt",
                    () ->
                        check(
                            dir.resolve(e.getKey() + ".txt"),
                            e.getValue(),
                            settings,
                            dns,
                            legacy)));
  }

  private static void check(
      Path file, Expect expect, VerifierSettings settings, FakeDns dns, boolean legacy)
      throws IOException {
    byte[] message = Files.readAllBytes(file);
    List<List<VerificationResult>> runs = new ArrayList<>();
    assertThatCode(() -> runs.add(verify(message, settings, dns, Integer.MAX_VALUE)))
        .doesNotThrowAnyException();
    assertThatCode(() -> runs.add(verify(message, settings, dns, 1))).doesNotThrowAnyException();
    List<VerificationResult> results = runs.get(0);
    assertThat(runs.get(1)).as("fed one byte at a time").isEqualTo(results);

    List<DkimResult> wanted = legacy ? expect.legacy() : expect.rfc8301();
    assertThat(results)
        .extracting(VerificationResult::result)
        .as(describe(results))
        .containsExactlyElementsOf(wanted);
    for (int i = 0; i < results.size(); i++) {
      VerificationResult r = results.get(i);
      assertThat(r.reason()).as("reason of result %d", i).isNotBlank();
      String fragment = r.result() == POLICY ? "rsa-sha1" : expect.reasons().get(i);
      assertThat(r.reason()).as("reason of result %d", i).contains(fragment);
      if (r.algorithm().equals("rsa-sha1") && !legacy) {
        assertThat(r.result()).as("rsa-sha1 under RFC 8301").isNotEqualTo(PASS);
      }
    }
    if (file.getFileName().toString().equals("multiple_2.txt")) {
      assertThat(results.get(1).b()).isEqualTo("keocS8z7");
      assertThat(results.get(2).b()).isEqualTo("shouldfa");
    }
  }

  private static String describe(List<VerificationResult> results) {
    return results.stream().map(r -> r.result() + " (" + r.reason() + ")").toList().toString();
  }

  static List<VerificationResult> verify(
      byte[] message, VerifierSettings settings, KeyRecordLookup dns, int chunk) {
    VerificationSession session = new DkimVerifier(settings, dns).newSession();
    MessageParser parser = new MessageParser(session);
    for (int off = 0; off < message.length; off += chunk) {
      parser.update(message, off, Math.min(chunk, message.length - off));
    }
    parser.finish();
    return session.finish(Runnable::run).toCompletableFuture().join();
  }

  private static void expect(String file, String legacy, String rfc8301, String... reasons) {
    Expect e = new Expect(results(legacy), results(rfc8301), List.of(reasons));
    if (e.legacy().size() != reasons.length
        || e.rfc8301().size() != reasons.length
        || EXPECTED.put(file, e) != null) {
      throw new IllegalStateException("bad expectation for " + file);
    }
  }

  private static List<DkimResult> results(String words) {
    return words.isBlank()
        ? List.of()
        : Arrays.stream(words.split(" ")).map(DkimResult::valueOf).toList();
  }

  /**
   * @param legacy results with rsa-sha1 and 512-bit keys accepted
   * @param rfc8301 results with the defaults
   * @param reasons a fragment each legacy reason must contain (defaults: the same, or "rsa-sha1"
   *     for a policy result)
   */
  private record Expect(List<DkimResult> legacy, List<DkimResult> rfc8301, List<String> reasons) {}

  /**
   * FAKE_DNS.dat as the corpus README describes it: {@code name value}, split at the first run of
   * white space; {@code NXDOMAIN}, {@code ~~error~~} (temporary failure), {@code ""} (one empty TXT
   * string) or the record text. Names not in the file do not exist.
   */
  static final class FakeDns implements KeyRecordLookup {
    private static final Pattern LINE = Pattern.compile("(\\S+)\\s+(.*)");
    private static final Pattern TEMP = Pattern.compile("~~(.*)~~");
    private final Map<String, KeyLookupResult> answers;

    private FakeDns(Map<String, KeyLookupResult> answers) {
      this.answers = answers;
    }

    static FakeDns load(Path file) {
      Map<String, KeyLookupResult> answers = new HashMap<>();
      try {
        for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
          if (line.isBlank() || line.startsWith("#") || line.startsWith(";")) {
            continue;
          }
          Matcher m = LINE.matcher(line);
          if (!m.matches()) {
            throw new IllegalStateException("FAKE_DNS.dat: no value in " + line);
          }
          String value = m.group(2);
          Matcher temp = TEMP.matcher(value);
          KeyLookupResult answer;
          if (value.equals("NXDOMAIN")) {
            answer = new KeyLookupResult.NxDomain();
          } else if (temp.matches()) {
            answer = new KeyLookupResult.TempFail(temp.group(1));
          } else {
            String text = value.equals("\"\"") ? "" : value;
            answer = KeyLookupResult.Found.of(text);
          }
          answers.put(m.group(1).toLowerCase(java.util.Locale.ROOT), answer);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return new FakeDns(answers);
    }

    @Override
    public CompletableFuture<KeyLookupResult> lookup(String name) {
      return CompletableFuture.completedFuture(
          answers.getOrDefault(
              name.toLowerCase(java.util.Locale.ROOT), new KeyLookupResult.NxDomain()));
    }
  }
}
