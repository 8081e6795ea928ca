package io.inkan.dkim;

import static io.inkan.dkim.Canonicalization.RELAXED;
import static io.inkan.dkim.Canonicalization.SIMPLE;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Body canonicalization, RFC 6376 §3.4.3 (simple) and §3.4.4 (relaxed), through {@link BodyHasher}.
 * Every fixture is fed whole, one byte at a time and in random chunks; a whole-body reference
 * implementation below is the oracle for random bodies.
 */
class BodyCanonicalizerTest {
  private static final long NO_LIMIT = Long.MAX_VALUE;

  /** Name, input, simple form, relaxed form. */
  static Stream<Arguments> fixtures() {
    return Stream.of(
        fixture("empty body", "", "\r\n", ""),
        fixture("one empty line", "\r\n", "\r\n", ""),
        fixture("only empty lines", "\r\n\r\n\r\n", "\r\n", ""),
        fixture("one line", "abc\r\n", "abc\r\n", "abc\r\n"),
        fixture("no final CRLF", "abc", "abc\r\n", "abc\r\n"),
        fixture("no final CRLF, two lines", "a\r\nb", "a\r\nb\r\n", "a\r\nb\r\n"),
        fixture("trailing empty lines", "abc\r\n\r\n\r\n", "abc\r\n", "abc\r\n"),
        fixture(
            "leading empty lines kept", "\r\n\r\nabc\r\n", "\r\n\r\nabc\r\n", "\r\n\r\nabc\r\n"),
        fixture(
            "inner empty lines kept",
            "a\r\n\r\n\r\nb\r\n",
            "a\r\n\r\n\r\nb\r\n",
            "a\r\n\r\n\r\nb\r\n"),
        fixture("trailing whitespace", "abc \t \r\n", "abc \t \r\n", "abc\r\n"),
        fixture(
            "trailing whitespace lines",
            "abc\r\n  \r\n\t\r\n \t \r\n",
            "abc\r\n  \r\n\t\r\n \t \r\n",
            "abc\r\n"),
        fixture(
            "whitespace-only inner line",
            "a\r\n \t\r\nb\r\n",
            "a\r\n \t\r\nb\r\n",
            "a\r\n\r\nb\r\n"),
        fixture("only whitespace lines", " \r\n\t\r\n", " \r\n\t\r\n", ""),
        fixture("only whitespace, no CRLF", " \t ", " \t \r\n", ""),
        fixture("trailing whitespace, no CRLF", "abc \t", "abc \t\r\n", "abc\r\n"),
        fixture("tabs and spaces inside", "a\t\tb \t c\r\n", "a\t\tb \t c\r\n", "a b c\r\n"),
        fixture("leading whitespace kept as one SP", " \t C\r\n", " \t C\r\n", " C\r\n"),
        fixture("tab only", "\t", "\t\r\n", ""),
        fixture("bare CR", "a\rb\r\n", "a\rb\r\n", "a\rb\r\n"),
        fixture("bare CR is not white space", "a \r b \r\n", "a \r b \r\n", "a \r b\r\n"),
        fixture("bare LF", "a\nb\r\n", "a\nb\r\n", "a\nb\r\n"),
        fixture("LF CR is no line end", "a\n\rb\r\n", "a\n\rb\r\n", "a\n\rb\r\n"),
        fixture("CR CR LF", "a\r\r\n", "a\r\r\n", "a\r\r\n"),
        fixture("body ends in bare CR", "abc\r", "abc\r\r\n", "abc\r\r\n"),
        fixture("only a CR", "\r", "\r\r\n", "\r\r\n"),
        fixture("empty lines then a CR", "\r\n\r\n\r", "\r\n\r\n\r\r\n", "\r\n\r\n\r\r\n"),
        fixture("whitespace before bare CR at end", "a \r", "a \r\r\n", "a \r\r\n"),
        fixture("empty lines then whitespace", "a\r\n\r\n \t", "a\r\n\r\n \t\r\n", "a\r\n"),
        fixture("form feed is not white space", "a\f\r\n", "a\f\r\n", "a\f\r\n"),
        fixture(
            "8-bit and NUL bytes kept",
            "\u0000\u00ff \u0080\r\n",
            "\u0000\u00ff \u0080\r\n",
            "\u0000\u00ff \u0080\r\n"),
        // RFC 6376 §3.4.5, examples 1 and 2 (the body part).
        fixture(
            "RFC 6376 example body",
            " C \r\nD \t E\r\n\r\n\r\n",
            " C \r\nD \t E\r\n",
            " C\r\nD E\r\n"));
  }

  private static Arguments fixture(String name, String in, String simple, String relaxed) {
    return Arguments.of(name, in, simple, relaxed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void simple(String name, String in, String simple, String relaxed) {
    assertCanonical(SIMPLE, in, simple);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void relaxed(String name, String in, String simple, String relaxed) {
    assertCanonical(RELAXED, in, relaxed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void referenceAgreesWithFixtures(String name, String in, String simple, String relaxed) {
    assertThat(simpleReference(in)).isEqualTo(simple);
    assertThat(relaxedReference(in)).isEqualTo(relaxed);
  }

  @Test
  void emptyBodyHashesFromRfc() {
    // RFC 6376 §3.4.3 and §3.4.4.
    assertThat(base64(hash(SIMPLE, NO_LIMIT, bytes(""), whole()).hash()))
        .isEqualTo("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
    assertThat(base64(hash(RELAXED, NO_LIMIT, bytes(""), whole()).hash()))
        .isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
    BodyHasher sha1 = new BodyHasher("SHA-1", NO_LIMIT);
    BodyCanonicalizer.of(SIMPLE, sha1).finish();
    assertThat(base64(sha1.hash())).isEqualTo("uoq1oCgLlTqpdDX/iUbLy7J1Wic=");
    sha1 = new BodyHasher("SHA-1", NO_LIMIT);
    BodyCanonicalizer.of(RELAXED, sha1).finish();
    assertThat(base64(sha1.hash())).isEqualTo("2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
  }

  @Test
  void rfc8463ExampleBodyHash() {
    // RFC 8463 Appendix A.3: "A blank line follows the "Joe." line."
    String body = "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n\r\n";
    String bh = "2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=";
    for (String b : List.of(body, body.substring(0, body.length() - 2))) {
      assertThat(base64(hash(RELAXED, NO_LIMIT, bytes(b), whole()).hash())).isEqualTo(bh);
      assertThat(base64(hash(RELAXED, NO_LIMIT, bytes(b), oneByte()).hash())).isEqualTo(bh);
    }
  }

  @Test
  void crAtChunkBoundary() {
    for (Canonicalization c : Canonicalization.values()) {
      assertChunked(c, "abc\r\n\r\n", "abc\r", "\n\r", "\n");
      assertChunked(c, "a \r\nb\r\n", "a \r", "\nb\r\n");
      assertChunked(c, "a\rb\r\n", "a\r", "b\r\n");
      assertChunked(c, "a\r\r\n", "a\r", "\r", "\n");
      assertChunked(c, "a\r \r\n", "a\r", " \r", "\n");
      assertChunked(c, "abc\r", "abc\r");
      assertChunked(c, "abc\r", "abc\r", "");
      assertChunked(c, "\r\n\r\n\r", "\r", "\n\r", "\n", "\r");
    }
  }

  @Test
  void limitHashesOnlyTheFirstBytesButCountsAll() {
    String in = "abc  \r\ndef\r\n\r\n";
    assertLimit(SIMPLE, in, 0, "abc  \r\ndef\r\n");
    assertLimit(SIMPLE, in, 2, "abc  \r\ndef\r\n");
    assertLimit(SIMPLE, in, 7, "abc  \r\ndef\r\n");
    assertLimit(SIMPLE, in, 12, "abc  \r\ndef\r\n");
    assertLimit(SIMPLE, in, 13, "abc  \r\ndef\r\n");
    assertLimit(RELAXED, in, 0, "abc\r\ndef\r\n");
    assertLimit(RELAXED, in, 4, "abc\r\ndef\r\n");
    assertLimit(RELAXED, in, 10, "abc\r\ndef\r\n");
    assertLimit(RELAXED, in, 1000, "abc\r\ndef\r\n");
    assertLimit(SIMPLE, "", 1, "\r\n");
    assertLimit(RELAXED, "", 0, "");
  }

  @Test
  void limitAcrossInternalBuffers() {
    Random random = new Random(6376);
    String in = randomBody(random, 70_000);
    for (long limit : new long[] {8191, 8192, 8193, 16_384, 40_000, 69_999}) {
      assertLimit(SIMPLE, in, limit, simpleReference(in));
      assertLimit(RELAXED, in, limit, relaxedReference(in));
    }
  }

  @Test
  void hashIsStable() {
    BodyHasher h = hash(RELAXED, NO_LIMIT, bytes("x\r\n"), whole());
    byte[] first = h.hash();
    first[0] ^= 1;
    assertThat(h.hash()).isEqualTo(sha256(bytes("x\r\n")));
  }

  @Test
  void feedingStylesAgreeOnRandomBodies() {
    Random random = new Random(42);
    for (int n = 0; n < 300; n++) {
      byte[] body = bytes(randomBody(random, random.nextInt(n < 280 ? 400 : 30_000)));
      for (Canonicalization c : Canonicalization.values()) {
        long limit = randomLimit(random, body.length);
        BodyHasher expected = hash(c, limit, body, whole());
        for (int k = 0; k < 5; k++) {
          BodyHasher chunked = hash(c, limit, body, randomChunks(random, 1 + random.nextInt(64)));
          assertThat(chunked.hash()).isEqualTo(expected.hash());
          assertThat(chunked.canonicalLength()).isEqualTo(expected.canonicalLength());
        }
        if (body.length <= 4000) {
          BodyHasher bytewise = hash(c, limit, body, oneByte());
          assertThat(bytewise.hash()).isEqualTo(expected.hash());
          assertThat(bytewise.canonicalLength()).isEqualTo(expected.canonicalLength());
        }
      }
    }
  }

  @Test
  void matchesReferenceOnRandomBodies() {
    Random random = new Random(8463);
    for (int n = 0; n < 5000; n++) {
      int max = n % 100 == 0 ? 20_000 : 200;
      String body = randomBody(random, random.nextInt(max + 1));
      byte[] in = bytes(body);
      IntSupplier chunks = randomChunks(random, n % 2 == 0 ? 3 : 9000);
      long limit = randomLimit(random, in.length);
      assertMatches(SIMPLE, in, limit, simpleReference(body), chunks);
      assertMatches(RELAXED, in, limit, relaxedReference(body), chunks);
    }
  }

  // -- helpers

  private static void assertCanonical(Canonicalization c, String in, String expected) {
    byte[] body = bytes(in);
    byte[] want = sha256(bytes(expected));
    Random random = new Random(in.hashCode());
    List<IntSupplier> styles =
        List.of(whole(), oneByte(), randomChunks(random, 2), randomChunks(random, 5));
    for (IntSupplier style : styles) {
      BodyHasher h = hash(c, NO_LIMIT, body, style);
      assertThat(h.canonicalLength()).as("length").isEqualTo(expected.length());
      assertThat(h.hash()).as("hash of %s", printable(expected)).isEqualTo(want);
    }
  }

  private static void assertChunked(Canonicalization c, String whole, String... chunks) {
    BodyHasher h = new BodyHasher("SHA-256", NO_LIMIT);
    BodyCanonicalizer canon = BodyCanonicalizer.of(c, h);
    for (String chunk : chunks) {
      byte[] b = bytes(chunk);
      canon.update(b, 0, b.length);
    }
    canon.finish();
    String expected = c == SIMPLE ? simpleReference(whole) : relaxedReference(whole);
    assertThat(h.hash()).as("%s %s", c, Arrays.toString(chunks)).isEqualTo(sha256(bytes(expected)));
    assertThat(h.canonicalLength()).isEqualTo(expected.length());
  }

  private static void assertLimit(Canonicalization c, String in, long limit, String canonical) {
    assertMatches(c, bytes(in), limit, canonical, whole());
    assertMatches(c, bytes(in), limit, canonical, oneByte());
  }

  private static void assertMatches(
      Canonicalization c, byte[] in, long limit, String canonical, IntSupplier chunks) {
    byte[] full = bytes(canonical);
    byte[] hashed = Arrays.copyOf(full, (int) Math.min(full.length, limit));
    BodyHasher h = hash(c, limit, in, chunks);
    assertThat(h.canonicalLength()).as("%s length of %s", c, printable(in)).isEqualTo(full.length);
    assertThat(h.hash())
        .as("%s l=%d hash of %s", c, limit, printable(in))
        .isEqualTo(sha256(hashed));
  }

  /**
   * Runs a body through a canonicalizer, in chunks whose sizes {@code chunks} gives (0 is allowed),
   * each copied into a larger array between guard bytes that would corrupt the result if read.
   */
  static BodyHasher hash(Canonicalization c, long limit, byte[] body, IntSupplier chunks) {
    BodyHasher h = new BodyHasher("SHA-256", limit);
    BodyCanonicalizer canon = BodyCanonicalizer.of(c, h);
    int off = 0;
    while (off < body.length) {
      int len = Math.min(chunks.getAsInt(), body.length - off);
      byte[] framed = new byte[len + 4];
      framed[0] = ' ';
      framed[1] = '\r';
      System.arraycopy(body, off, framed, 2, len);
      framed[len + 2] = '\n';
      framed[len + 3] = 'x';
      canon.update(framed, 2, len);
      off += len;
    }
    canon.finish();
    return h;
  }

  private static IntSupplier whole() {
    return () -> Integer.MAX_VALUE;
  }

  private static IntSupplier oneByte() {
    return () -> 1;
  }

  /** Chunk sizes 0..max, with 0 only now and then so that feeding always moves on. */
  private static IntSupplier randomChunks(Random random, int max) {
    return () -> random.nextInt(8) == 0 ? 0 : 1 + random.nextInt(max);
  }

  private static long randomLimit(Random random, int length) {
    return switch (random.nextInt(4)) {
      case 0 -> 0;
      case 1 -> random.nextInt(length + 3);
      default -> NO_LIMIT;
    };
  }

  /**
   * A body rich in CR, LF, SP and HTAB, with CRLF runs, so that every rule gets exercised; every
   * other body also has stretches of words between single spaces, long enough for the eight-bytes-
   * at-a-time scans, with the bytes their masks may falsely flag ('!', BS, FF).
   */
  static String randomBody(Random random, int length) {
    String[] pieces = {
      "\r",
      "\n",
      " ",
      "\t",
      "\r\n",
      "\r\n",
      "\r\n\r\n",
      "  ",
      " \t",
      "a",
      "b",
      "xyz",
      "\u0000",
      "\u00ff",
      "\f"
    };
    String letters = "abcdefghijklmnopqrstuvwxyz!!\b\f\n\u00ff\u0080\u0021\u0000";
    boolean words = random.nextBoolean();
    StringBuilder sb = new StringBuilder(length + 64);
    while (sb.length() < length) {
      if (words && random.nextInt(4) > 0) {
        for (int w = random.nextInt(8); w >= 0; w--) {
          for (int k = 1 + random.nextInt(12); k > 0; k--) {
            sb.append(letters.charAt(random.nextInt(letters.length())));
          }
          sb.append(w > 0 ? " " : "");
        }
      } else {
        sb.append(pieces[random.nextInt(pieces.length)]);
      }
    }
    sb.setLength(length);
    return sb.toString();
  }

  // -- the reference: RFC 6376 §3.4.3 and §3.4.4 read literally, on the whole body as a String

  /** "Converts *CRLF at the end of the body to a single CRLF." */
  static String simpleReference(String body) {
    return stripTrailingCrlfs(body) + "\r\n";
  }

  /**
   * (a) per line, drop WSP at the end and reduce WSP runs to one SP; (b) drop empty lines at the
   * end, and end a non-empty body with CRLF.
   */
  static String relaxedReference(String body) {
    List<String> lines = new ArrayList<>();
    for (String line : body.split("\r\n", -1)) {
      int end = line.length();
      while (end > 0 && (line.charAt(end - 1) == ' ' || line.charAt(end - 1) == '\t')) {
        end--;
      }
      lines.add(line.substring(0, end).replaceAll("[ \t]+", " "));
    }
    String reduced = stripTrailingCrlfs(String.join("\r\n", lines));
    return reduced.isEmpty() ? "" : reduced + "\r\n";
  }

  private static String stripTrailingCrlfs(String s) {
    int end = s.length();
    while (end >= 2 && s.charAt(end - 2) == '\r' && s.charAt(end - 1) == '\n') {
      end -= 2;
    }
    return s.substring(0, end);
  }

  static byte[] bytes(String s) {
    return s.getBytes(ISO_8859_1);
  }

  static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  private static String base64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static String printable(byte[] b) {
    return printable(new String(b, ISO_8859_1));
  }

  /** The text with CR, LF and HTAB made visible, cut short for long bodies. */
  private static String printable(String s) {
    String cut = s.length() <= 120 ? s : s.substring(0, 120) + "... (" + s.length() + " bytes)";
    return cut.replace("\r", "<CR>").replace("\n", "<LF>").replace("\t", "<HT>");
  }
}
