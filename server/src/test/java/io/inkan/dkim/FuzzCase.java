package io.inkan.dkim;

import io.inkan.dkim.FuzzMutations.Mutation;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Random;

/**
 * One {@link DkimFuzzTest} case: a random message signed under a random canonicalization pair,
 * algorithm, {@code l=}, {@code z=} and oversigned names, with the offsets the oracle needs.
 */
record FuzzCase(
    String config,
    SignerSettings settings,
    List<String> fields,
    byte[] body,
    String signature,
    byte[] bytes,
    List<Span> headers,
    int sigEnd,
    int bValue,
    int blankLine,
    int bodyStart,
    int coveredBodyEnd,
    boolean lengthTag,
    List<String> oversigned) {
  private static final String DOMAIN = "example.org";
  private static final byte[] CRLF = {'\r', '\n'};
  private static final List<String> OVERSIGN_CANDIDATES = List.of("subject", "to", "cc", "date");
  private static final List<Canonicalization.Pair> PAIRS =
      List.of(
          new Canonicalization.Pair(Canonicalization.SIMPLE, Canonicalization.SIMPLE),
          new Canonicalization.Pair(Canonicalization.SIMPLE, Canonicalization.RELAXED),
          new Canonicalization.Pair(Canonicalization.RELAXED, Canonicalization.SIMPLE),
          new Canonicalization.Pair(Canonicalization.RELAXED, Canonicalization.RELAXED));

  /** One header field with its CRLF: {@code [start, end)}, the value from {@code valueStart}. */
  record Span(String lowerName, int start, int end, int valueStart, boolean signed) {}

  /** Offsets where a whole new field may go: the top, before each field, the bottom. */
  List<Integer> boundaries() {
    List<Integer> at = new ArrayList<>(List.of(0, sigEnd));
    headers.forEach(h -> at.add(h.start()));
    at.add(blankLine);
    return at.stream().distinct().sorted().toList();
  }

  /**
   * Signs a random message, checks the signature with {@link FuzzReference}, and returns the case;
   * null (after recording why) when the signer refuses it.
   */
  static FuzzCase sign(Random r, int index, FuzzKeys keys, FuzzFailures failures) {
    boolean useEd = r.nextBoolean();
    Canonicalization.Pair pair = PAIRS.get(r.nextInt(PAIRS.size()));
    boolean lengthTag = r.nextInt(3) == 0;
    boolean copies = r.nextInt(4) == 0;
    List<String> oversigned = new ArrayList<>(List.of("from"));
    OVERSIGN_CANDIDATES.forEach(
        n -> {
          if (r.nextInt(5) == 0) {
            oversigned.add(n);
          }
        });
    SignerSettings settings =
        SignerSettings.of(DOMAIN, useEd ? "ed2023" : "rsa2023", useEd ? keys.ed() : keys.rsa())
            .withCanonicalization(pair)
            .withOptions(copies, lengthTag, OptionalLong.empty())
            .withHeaders(FuzzMessages.SIGNED, oversigned);
    String config =
        "case "
            + index
            + ": "
            + settings.algorithm().tagValue()
            + " c="
            + pair.tagValue()
            + (lengthTag ? " l=" : "")
            + (copies ? " z=" : "")
            + " oversigned="
            + oversigned;
    List<String> fields = FuzzMessages.headerFields(r);
    byte[] body = FuzzMessages.body(r, lengthTag);
    ByteArrayOutputStream unsigned = new ByteArrayOutputStream();
    fields.forEach(f -> unsigned.writeBytes((f + "\r\n").getBytes(StandardCharsets.ISO_8859_1)));
    unsigned.writeBytes(CRLF);
    unsigned.writeBytes(body);
    byte[] message = unsigned.toByteArray();
    SignResult result = FuzzEngine.sign(settings, message, null);
    SignResult chunked = FuzzEngine.sign(settings, message, r);
    Mutation plain = new Mutation("unsigned original", message);
    if (!(result instanceof SignResult.Signed signed)) {
      failures.add(config, plain, "not signed: " + result);
      return null;
    }
    if (!result.equals(chunked)) {
      failures.add(config, plain, "signing depends on chunking: " + result + " vs " + chunked);
    }
    String sig = signed.field().raw();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes((sig + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    int sigEnd = out.size();
    // b= is written last; the value starts after the last tag separator's "b=".
    int bValue = sig.indexOf('=', sig.lastIndexOf(';')) + 1;
    List<Span> spans = new ArrayList<>();
    for (String f : fields) {
      int colon = f.indexOf(':');
      String lower = f.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      boolean isSigned = FuzzMessages.SIGNED.contains(lower) || oversigned.contains(lower);
      int start = out.size();
      out.writeBytes((f + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      spans.add(new Span(lower, start, out.size(), start + colon + 1, isSigned));
    }
    int blankLine = out.size();
    out.writeBytes(CRLF);
    int bodyStart = out.size();
    out.writeBytes(body);
    int coveredBodyEnd =
        lengthTag
            ? bodyStart + contentPrefix(body, pair.body() == Canonicalization.RELAXED)
            : bodyStart + body.length;
    if (lengthTag) {
      out.writeBytes(FuzzMessages.body(r, true)); // past l=, so never covered
    }
    FuzzCase s =
        new FuzzCase(
            config,
            settings,
            fields,
            body,
            sig,
            out.toByteArray(),
            spans,
            sigEnd,
            bValue,
            blankLine,
            bodyStart,
            coveredBodyEnd,
            lengthTag,
            oversigned);
    FuzzReference.check(s, failures);
    return s;
  }

  /** Raw body bytes whose canonical form is exactly what {@code l=} counts (CRLF-ended body). */
  private static int contentPrefix(byte[] body, boolean relaxed) {
    int end = 0;
    int lineStart = 0;
    for (int i = 0; i + 1 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        boolean content = false;
        for (int k = lineStart; k < i; k++) {
          content |= !relaxed || (body[k] != ' ' && body[k] != '\t');
        }
        if (content) {
          end = i + 2;
        }
        lineStart = i + 2;
        i++;
      }
    }
    return end;
  }
}
