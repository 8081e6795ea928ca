package io.inkan.dkim;

import static io.inkan.dkim.FuzzFailures.hex;
import static io.inkan.dkim.FuzzFailures.show;
import static io.inkan.dkim.FuzzFailures.stack;
import static io.inkan.dkim.FuzzMutations.concat;
import static io.inkan.dkim.FuzzMutations.insert;
import static io.inkan.dkim.FuzzMutations.replace;

import io.inkan.dkim.FuzzMutations.Mutation;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random byte damage for {@link DkimFuzzTest} (flips, deletions, CR, LF, NUL, 8-bit bytes), whose
 * outcome is not known in advance, and what must hold after it all the same.
 */
final class FuzzDamage {
  /** Bytes random damage favours: line ends, NUL, 8-bit, tag-list and header syntax. */
  static final byte[] NASTY = {
    '\r', '\n', 0, (byte) 0x80, (byte) 0xff, (byte) 0xe9, ':', ';', '=', ' ', '\t', '@', '.'
  };

  private final FuzzEngine engine;
  private final FuzzFailures failures;

  FuzzDamage(FuzzEngine engine, FuzzFailures failures) {
    this.engine = engine;
    this.failures = failures;
  }

  /** One to three flips, deletions, nasty bytes, duplications, truncations or line ends. */
  static Mutation damage(Random r, byte[] original) {
    byte[] b = original;
    StringBuilder what = new StringBuilder();
    int ops = 1 + r.nextInt(3);
    for (int k = 0; k < ops; k++) {
      int p = b.length == 0 ? 0 : r.nextInt(b.length);
      byte nasty = r.nextBoolean() ? NASTY[r.nextInt(NASTY.length)] : (byte) r.nextInt(256);
      String op;
      switch (b.length == 0 ? 2 : r.nextInt(7)) {
        case 0 -> {
          int bit = 1 << r.nextInt(8);
          b = replace(b, p, (byte) (b[p] ^ bit), "").bytes();
          op = "flip bit " + bit + " at " + p;
        }
        case 1 -> {
          int n = Math.min(b.length - p, 1 + r.nextInt(3));
          b = concat(Arrays.copyOfRange(b, 0, p), Arrays.copyOfRange(b, p + n, b.length));
          op = "delete " + n + " at " + p;
        }
        case 2 -> {
          b = insert(b, p, new byte[] {nasty}, "").bytes();
          op = "insert 0x" + hex(nasty) + " at " + p;
        }
        case 3 -> {
          b = replace(b, p, nasty, "").bytes();
          op = "set 0x" + hex(nasty) + " at " + p;
        }
        case 4 -> {
          int n = Math.min(b.length - p, 1 + r.nextInt(40));
          b = insert(b, p, Arrays.copyOfRange(b, p, p + n), "").bytes();
          op = "duplicate " + n + " at " + p;
        }
        case 5 -> {
          b = Arrays.copyOf(b, p);
          op = "truncate at " + p;
        }
        default -> {
          byte[] ends =
              new byte[][] {{'\r', '\n'}, {'\n'}, {'\r'}, {'\r', '\n', '\r', '\n'}}[r.nextInt(4)];
          b = insert(b, p, ends, "").bytes();
          op = "insert " + show(ends, 0, ends.length) + " at " + p;
        }
      }
      what.append(k == 0 ? "" : ", ").append(op);
    }
    return new Mutation(what.toString(), b);
  }

  /**
   * Every DKIM-Signature field of the damaged message gets a result with a reason, whatever the
   * chunking, nothing throws, and the message verifies once signed again.
   */
  void check(Random r, FuzzCase s, Mutation m) {
    List<VerificationResult> results = engine.verifyAnyChunking(s, m, r);
    if (results == null) {
      return;
    }
    try {
      int fields = FuzzEngine.signatureFields(m.bytes());
      if (results.size() != fields) {
        failures.add(s, m, results.size() + " results for " + fields + " DKIM-Signature fields");
      }
      for (VerificationResult v : results) {
        if (v.result() == null || v.reason() == null || v.reason().isBlank()) {
          failures.add(s, m, "result without outcome or reason: " + v);
        }
      }
      AuthenticationResults.fieldValue("mx.example.org", results);
      for (VerificationResult v : results) {
        AuthenticationResults.resultSpec(v, true);
      }
    } catch (RuntimeException e) {
      failures.add(s, m, "threw " + stack(e));
    }
    resignAndVerify(r, s, m);
  }

  /** Whatever the damage, a message the signer accepts verifies once signed. */
  private void resignAndVerify(Random r, FuzzCase s, Mutation m) {
    byte[] b = m.bytes();
    if (b.length > 0 && (b[0] == ' ' || b[0] == '\t')) {
      return; // a leading continuation line would fold into the prepended field
    }
    SignResult result;
    try {
      result = FuzzEngine.sign(s.settings(), b, null);
      SignResult chunked = FuzzEngine.sign(s.settings(), b, r);
      if (!result.equals(chunked)) {
        failures.add(s, m, "signing depends on chunking: " + result + " vs " + chunked);
      }
    } catch (RuntimeException e) {
      failures.add(s, m, "signing threw " + stack(e));
      return;
    }
    if (result instanceof SignResult.Signed signed) {
      byte[] again =
          concat((signed.field().raw() + "\r\n").getBytes(StandardCharsets.ISO_8859_1), b);
      Mutation resigned = new Mutation(m.what() + ", then signed again", again);
      List<VerificationResult> v = engine.verifyAnyChunking(s, resigned, r);
      if (v != null && (v.isEmpty() || !v.get(0).passed())) {
        failures.add(s, resigned, "re-signed damaged message does not verify: " + v);
      }
    }
  }
}
