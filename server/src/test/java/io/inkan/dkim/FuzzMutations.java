package io.inkan.dkim;

import static io.inkan.dkim.FuzzFailures.show;

import io.inkan.dkim.FuzzCase.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The mutations {@link DkimFuzzTest} applies to signed messages, and the oracle that knows in
 * advance whether each must pass: an edit to a covered byte never passes, nor does a new instance
 * of an oversigned name or one below a signed name's last instance; one above its first instance,
 * an edit the signature does not cover and body past {@code l=} do (RFC 6376 §3.4, §3.5, §5.4.2).
 * Random byte damage, whose outcome is not known in advance, is in {@link FuzzDamage}.
 */
final class FuzzMutations {
  /** What covered edits write: letters and digits, which both canonicalizations keep as is. */
  static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  /** A message as mutated, with what was done to it. */
  record Mutation(String what, byte[] bytes) {}

  private FuzzMutations() {}

  // ---- the oracle

  /** Verifies the case and its mutations with known outcomes; returns how many it checked. */
  static int oracleChecks(Random r, FuzzCase s, FuzzEngine engine) {
    int checks = 0;
    engine.expect(s, new Mutation("none", s.bytes()), true, r);
    checks++;
    for (int k = 0; k < 8; k++) {
      engine.expect(s, coveredEdit(r, s), false, r);
      checks++;
    }
    String name =
        r.nextInt(3) == 0
            ? "From"
            : FuzzMessages.SIGNED_NAMES.get(r.nextInt(FuzzMessages.SIGNED_NAMES.size()));
    String lower = name.toLowerCase(Locale.ROOT);
    byte[] field =
        (name + ": injected-" + r.nextInt(1_000_000) + "@example.net\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    List<Span> same = s.headers().stream().filter(h -> h.lowerName().equals(lower)).toList();
    List<Integer> at = s.boundaries();
    if (s.oversigned().contains(lower)) {
      int p = at.get(r.nextInt(at.size()));
      engine.expect(
          s, insert(s.bytes(), p, field, "new oversigned " + name + " at " + p), false, r);
    } else if (same.isEmpty()) {
      int p = at.get(r.nextInt(at.size()));
      engine.expect(
          s,
          insert(s.bytes(), p, field, "new absent, not oversigned " + name + " at " + p),
          true,
          r);
    } else {
      int first = same.get(0).start();
      int last = same.get(same.size() - 1).end();
      List<Integer> above = at.stream().filter(p -> p <= first).toList();
      List<Integer> below = at.stream().filter(p -> p >= last).toList();
      int pa = above.get(r.nextInt(above.size()));
      int pb = below.get(r.nextInt(below.size()));
      engine.expect(
          s, insert(s.bytes(), pa, field, "extra " + name + " above all at " + pa), true, r);
      engine.expect(
          s, insert(s.bytes(), pb, field, "extra " + name + " below all at " + pb), false, r);
      checks++;
    }
    checks++;
    Mutation unsignedEdit = unsignedValueEdit(r, s);
    if (unsignedEdit != null) {
      engine.expect(s, unsignedEdit, true, r);
      checks++;
    }
    int p = at.get(r.nextInt(at.size()));
    byte[] added =
        ("X-Added-" + r.nextInt(100) + ":" + FuzzMessages.words(r, 1 + r.nextInt(4)) + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    engine.expect(s, insert(s.bytes(), p, added, "new unsigned header at " + p), true, r);
    checks++;
    if (s.lengthTag()) {
      engine.expect(
          s,
          insert(s.bytes(), s.bytes().length, FuzzMessages.body(r, true), "body appended past l="),
          true,
          r);
      checks++;
    }
    return checks;
  }

  /** A letter or digit over or into a covered byte; never case-only, never white space. */
  private static Mutation coveredEdit(Random r, FuzzCase s) {
    int target = r.nextInt(3);
    int from;
    int to;
    String where;
    boolean bodyInsertAtEnd = false;
    if (target == 2 && s.coveredBodyEnd() > s.bodyStart()) {
      from = s.bodyStart();
      to = s.coveredBodyEnd();
      where = s.lengthTag() ? "body before l=" : "body";
    } else if (target == 2 && !s.lengthTag()) {
      from = s.bodyStart();
      to = s.bodyStart();
      bodyInsertAtEnd = true;
      where = "empty body";
    } else if (target == 1 || target == 2) {
      List<Span> signed = s.headers().stream().filter(h -> h.signed()).toList();
      Span h = signed.get(r.nextInt(signed.size()));
      from = h.start();
      to = h.end();
      where = "signed header " + h.lowerName();
    } else {
      from = 0;
      to = s.bValue();
      where = "DKIM-Signature tags";
    }
    byte c = (byte) ALNUM.charAt(r.nextInt(ALNUM.length()));
    if (bodyInsertAtEnd || r.nextInt(3) == 0) {
      int p = bodyInsertAtEnd ? s.bytes().length : from + r.nextInt(to - from);
      if (!s.lengthTag() && where.startsWith("body") && r.nextInt(10) == 0) {
        p = s.bytes().length;
      }
      return insert(
          s.bytes(), p, new byte[] {c}, "insert '" + (char) c + "' at " + p + " (" + where + ")");
    }
    int p = from + r.nextInt(to - from);
    while (Character.toLowerCase((char) c) == Character.toLowerCase((char) (s.bytes()[p] & 0xff))) {
      c = (byte) ALNUM.charAt(r.nextInt(ALNUM.length()));
    }
    return replace(s.bytes(), p, c, where);
  }

  /** A letter or digit over or into the value of an unsigned field, away from its line ends. */
  private static Mutation unsignedValueEdit(Random r, FuzzCase s) {
    List<Integer> spots = new ArrayList<>();
    for (Span h : s.headers()) {
      if (h.signed()) {
        continue;
      }
      for (int p = h.valueStart(); p < h.end() - 2; p++) {
        byte b = s.bytes()[p];
        if (b != '\r' && b != '\n' && s.bytes()[p - 1] != '\n') {
          spots.add(p);
        }
      }
    }
    if (spots.isEmpty()) {
      return null;
    }
    int p = spots.get(r.nextInt(spots.size()));
    byte c = (byte) ALNUM.charAt(r.nextInt(ALNUM.length()));
    return r.nextBoolean()
        ? replace(s.bytes(), p, c, "unsigned header value")
        : insert(
            s.bytes(),
            p,
            new byte[] {c},
            "insert '" + (char) c + "' at " + p + " (unsigned header value)");
  }

  // ---- bytes

  static Mutation replace(byte[] b, int p, byte c, String where) {
    byte[] out = b.clone();
    out[p] = c;
    return new Mutation(
        "set "
            + p
            + " from "
            + show(b, p, p + 1)
            + " to "
            + show(out, p, p + 1)
            + " ("
            + where
            + ")",
        out);
  }

  static Mutation insert(byte[] b, int p, byte[] ins, String what) {
    return new Mutation(
        what, concat(concat(Arrays.copyOfRange(b, 0, p), ins), Arrays.copyOfRange(b, p, b.length)));
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
