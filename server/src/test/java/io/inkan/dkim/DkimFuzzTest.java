package io.inkan.dkim;

import static io.inkan.dkim.FuzzDamage.NASTY;
import static io.inkan.dkim.FuzzFailures.hex;
import static io.inkan.dkim.FuzzFailures.show;
import static io.inkan.dkim.FuzzMutations.ALNUM;
import static io.inkan.dkim.FuzzMutations.insert;
import static io.inkan.dkim.FuzzMutations.replace;

import io.inkan.dkim.FuzzMutations.Mutation;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes the signer and the verifier against an exact oracle. Each case signs a random message
 * (folded and duplicated headers, unsigned X- headers, bodies with trailing white space, tabs and
 * blank lines) under a random canonicalization pair, algorithm, {@code l=}, {@code z=} and
 * oversigned names, then checks mutations whose outcome is known in advance:
 *
 * <ul>
 *   <li>a letter or digit written over, or inserted into, a byte the signature covers (the signed
 *       header fields, every tag of the DKIM-Signature but the {@code b=} value, the body up to
 *       {@code l=}) never passes: such a character survives both canonicalizations and is never a
 *       case-only change (RFC 6376 §3.4);
 *   <li>a new instance of an oversigned name anywhere, or of a signed name below its last instance,
 *       never passes; above its first instance it passes (RFC 6376 §5.4.2);
 *   <li>editing an unsigned header value, adding an unsigned header and appending body past {@code
 *       l=} still pass (RFC 6376 §3.5 l=);
 *   <li>random byte damage (flips, deletions, CR, LF, NUL, 8-bit bytes) never makes anything throw,
 *       every signature gets a result whatever the chunking, and a damaged message that is signed
 *       again verifies.
 * </ul>
 *
 * <p>Signer and verifier could agree on a wrong canonical form, so every signature is also checked
 * by {@link FuzzReference}, a plain transcription of RFC 6376 §3.4 and §3.7, and the streaming body
 * canonicalizers are compared with it on random bytes in random chunks.
 *
 * <p>Cases come from {@link FuzzCase} (signed with {@link FuzzKeys}) and {@link FuzzMessages},
 * mutations with known outcomes from {@link FuzzMutations}, random damage and its checks from
 * {@link FuzzDamage}; {@link FuzzEngine} runs signer and verifier, {@link FuzzFailures} collects
 * what goes wrong.
 *
 * <p>A failure names the seed, the case and the mutation. Reproduce with {@code
 * -Dinkan.fuzz.seed=S} (and {@code -Dinkan.fuzz.case=I} for one case); {@code -Dinkan.fuzz.cases=N}
 * changes how many cases run.
 */
class DkimFuzzTest {
  private static final long SEED = Long.getLong("inkan.fuzz.seed", 20261128L);
  private static final int ORACLE_CASES = Integer.getInteger("inkan.fuzz.cases", 1000);
  private static final int DAMAGE_CASES = ORACLE_CASES / 2;
  private static final int ONLY_CASE = Integer.getInteger("inkan.fuzz.case", -1);

  private static FuzzKeys keys;
  private static DkimVerifier verifier;

  private final FuzzFailures failures = new FuzzFailures(SEED);
  private final FuzzEngine engine = new FuzzEngine(verifier, failures);
  private final FuzzDamage damage = new FuzzDamage(engine, failures);

  @BeforeAll
  static void keysFromSeed() throws Exception {
    System.out.println(
        "DkimFuzzTest seed " + SEED + " (rerun with -Dinkan.fuzz.seed=" + SEED + ")");
    keys = FuzzKeys.fromSeed(SEED);
    verifier = keys.verifier();
  }

  @Test
  void coveredEditsNeverPassAndUncoveredOnesDo() {
    long start = System.nanoTime();
    int checks = 0;
    for (int i = 0; i < ORACLE_CASES; i++) {
      if (ONLY_CASE >= 0 && i != ONLY_CASE) {
        continue;
      }
      Random r = new Random(mix(SEED, i));
      FuzzCase s = FuzzCase.sign(r, i, keys, failures);
      if (s == null) {
        continue;
      }
      checks += FuzzMutations.oracleChecks(r, s, engine);
    }
    report("oracle", ORACLE_CASES, checks, start);
    failures.assertNone();
  }

  @Test
  void randomDamageAlwaysYieldsResults() {
    long start = System.nanoTime();
    int checks = 0;
    for (int i = 0; i < DAMAGE_CASES; i++) {
      if (ONLY_CASE >= 0 && i != ONLY_CASE) {
        continue;
      }
      Random r = new Random(mix(~SEED, i));
      FuzzCase s = FuzzCase.sign(r, i, keys, failures);
      if (s == null) {
        continue;
      }
      for (int m = 0; m < 6; m++) {
        damage.check(r, s, FuzzDamage.damage(r, s.bytes()));
        checks++;
      }
    }
    report("damage", DAMAGE_CASES, checks, start);
    failures.assertNone();
  }

  /**
   * The streaming body canonicalizers, fed in random chunks, against {@link FuzzReference} on
   * bodies of random bytes that favour SP, HTAB, CR, LF and 8-bit ones, each with a random {@code
   * l=}.
   */
  @Test
  void bodyCanonicalizationMatchesTheReference() throws Exception {
    long start = System.nanoTime();
    byte[] alphabet = {
      ' ',
      ' ',
      ' ',
      '\t',
      '\r',
      '\r',
      '\n',
      '\n',
      'a',
      'b',
      'c',
      'x',
      '.',
      0,
      (byte) 0x80,
      (byte) 0xa0,
      (byte) 0xff,
      (byte) 0x85
    };
    int bodies = ORACLE_CASES * 8;
    for (int i = 0; i < bodies; i++) {
      Random r = new Random(mix(SEED + 17, i));
      int length = r.nextInt(25) == 0 ? r.nextInt(20_000) : r.nextInt(200);
      byte[] body = new byte[length];
      boolean words = r.nextBoolean();
      for (int k = 0; k < length; k++) {
        body[k] =
            words && r.nextInt(3) > 0
                ? (byte) ALNUM.charAt(r.nextInt(ALNUM.length()))
                : alphabet[r.nextInt(alphabet.length)];
      }
      for (Canonicalization c : Canonicalization.values()) {
        byte[] canonical =
            c == Canonicalization.RELAXED
                ? FuzzReference.relaxedBody(body)
                : FuzzReference.simpleBody(body);
        long limit = r.nextBoolean() ? Long.MAX_VALUE : r.nextInt(canonical.length + 3);
        BodyHasher hasher = new BodyHasher("SHA-256", limit);
        BodyCanonicalizer canonicalizer = BodyCanonicalizer.of(c, hasher);
        int max = new int[] {1, 3, 8, 9, 17, 64, 100_000}[r.nextInt(7)];
        for (int k = 0; k < body.length; ) {
          int n = Math.min(body.length - k, 1 + r.nextInt(max));
          byte[] buf = new byte[n + 16];
          Arrays.fill(buf, (byte) ' ');
          System.arraycopy(body, k, buf, 8, n);
          canonicalizer.update(buf, 8, n);
          k += n;
        }
        canonicalizer.finish();
        byte[] expected =
            MessageDigest.getInstance("SHA-256")
                .digest(Arrays.copyOf(canonical, (int) Math.min(limit, canonical.length)));
        if (hasher.canonicalLength() != canonical.length
            || !Arrays.equals(hasher.hash(), expected)) {
          failures.add(
              "body "
                  + i
                  + ": "
                  + c
                  + " l="
                  + (limit == Long.MAX_VALUE ? "-" : limit)
                  + " chunks<="
                  + max,
              new Mutation("none", body),
              "canonical length "
                  + hasher.canonicalLength()
                  + ", reference "
                  + canonical.length
                  + ": "
                  + show(canonical, 0, canonical.length));
        }
      }
    }
    report("body canonicalization", bodies, bodies * 2, start);
    failures.assertNone();
  }

  /**
   * Whatever bytes a DKIM-Signature carries, the Authentication-Results text made from its result
   * is a valid header value: no NUL (which would also cut a milter header reply short), no bare CR
   * or LF, no other control or 8-bit byte.
   */
  @Test
  void authenticationResultsStayValidHeaderText() {
    long start = System.nanoTime();
    int checks = 0;
    for (int i = 0; i < DAMAGE_CASES / 2; i++) {
      if (ONLY_CASE >= 0 && i != ONLY_CASE) {
        continue;
      }
      Random r = new Random(mix(SEED ^ 0x5DEECE66DL, i));
      FuzzCase s = FuzzCase.sign(r, i, keys, failures);
      if (s == null) {
        continue;
      }
      for (int k = 0; k < 6; k++) {
        int p = r.nextInt(s.sigEnd() - 2);
        byte nasty = r.nextBoolean() ? NASTY[r.nextInt(NASTY.length)] : (byte) r.nextInt(256);
        Mutation m =
            r.nextBoolean()
                ? replace(s.bytes(), p, nasty, "DKIM-Signature field")
                : insert(
                    s.bytes(),
                    p,
                    new byte[] {nasty},
                    "insert 0x" + hex(nasty) + " at " + p + " (DKIM-Signature field)");
        List<VerificationResult> results = engine.verifyAnyChunking(s, m, r);
        checks++;
        if (results == null) {
          continue;
        }
        String ar = AuthenticationResults.fieldValue("mx.example.org", results);
        String problem = headerProblem(ar);
        for (VerificationResult v : results) {
          String spec = AuthenticationResults.resultSpec(v, true);
          problem = problem != null ? problem : headerProblem(spec);
        }
        if (problem != null) {
          failures.add(
              s,
              m,
              "Authentication-Results is no valid header value ("
                  + problem
                  + "): "
                  + show(ar.getBytes(StandardCharsets.ISO_8859_1), 0, ar.length()));
        }
      }
    }
    report("authentication-results", DAMAGE_CASES / 2, checks, start);
    failures.assertNone();
  }

  /**
   * Authentication-Results text must be a valid header value (RFC 5322 §2.2, RFC 8601 §2.2):
   * printable US-ASCII, HTAB, and CRLF only before white space.
   */
  private static String headerProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean fold =
          c == '\r'
              && i + 2 < value.length()
              && value.charAt(i + 1) == '\n'
              && (value.charAt(i + 2) == ' ' || value.charAt(i + 2) == '\t');
      if (fold) {
        i += 2;
      } else if (c != '\t' && (c < 0x20 || c > 0x7e)) {
        return String.format(Locale.ROOT, "character 0x%02x at %d", (int) c, i);
      }
    }
    return null;
  }

  private static long mix(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void report(String what, int cases, int checks, long start) {
    long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    System.out.printf(
        Locale.ROOT,
        "DkimFuzzTest %s: %d cases, %d checked messages, %d ms (thread CPU so far %d ms)%n",
        what,
        cases,
        checks,
        (System.nanoTime() - start) / 1_000_000,
        cpu / 1_000_000);
  }
}
