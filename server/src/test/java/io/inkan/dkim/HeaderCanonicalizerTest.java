package io.inkan.dkim;

import static io.inkan.dkim.Canonicalization.RELAXED;
import static io.inkan.dkim.Canonicalization.SIMPLE;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Header field canonicalization, RFC 6376 §3.4.1 (simple) and §3.4.2 (relaxed). */
class HeaderCanonicalizerTest {

  @Test
  void rfc6376ExampleRelaxed() {
    // RFC 6376 §3.4.5, example 1.
    assertThat(canonical(RELAXED, "A: X")).isEqualTo("a:X\r\n");
    assertThat(canonical(RELAXED, "B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z\r\n");
  }

  @Test
  void rfc6376ExampleSimple() {
    // RFC 6376 §3.4.5, example 2: unchanged.
    assertThat(canonical(SIMPLE, "A: X")).isEqualTo("A: X\r\n");
    assertThat(canonical(SIMPLE, "B : Y\t\r\n\tZ  ")).isEqualTo("B : Y\t\r\n\tZ  \r\n");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      textBlock =
          """
          SUBJect: AbC                      | subject:AbC
          Subject:one\\r\\n two\\r\\n\\tthree | subject:one two three
          To:\\r\\n a@example.org            | to:a@example.org
          X-Test: a  \\t b                  | x-test:a b
          X-Test: a \\r\\n \\t b             | x-test:a b
          Name \\t:\\t value                | name:value
          X:v \\t                           | x:v
          X: v \\r\\n\\t                     | x:v
          X:                                | x:
          "X:   "                           | x:
          X: MiXeD CaSe (Some  Text)        | x:MiXeD CaSe (Some Text)
          X-Word: a;b=c;\\r\\n\\td=e         | x-word:a;b=c; d=e
          "  X : y"                         | x:y
          X: a:b : c                        | x:a:b : c
          """)
  void relaxed(String raw, String expected) {
    assertThat(canonical(RELAXED, unescape(raw))).isEqualTo(unescape(expected) + "\r\n");
  }

  @Test
  void relaxedKeepsEightBitValueBytes() {
    byte[] raw = {'X', ':', ' ', (byte) 0xe9, ' ', ' ', (byte) 0xff, (byte) 0x80};
    byte[] expected = {'x', ':', (byte) 0xe9, ' ', (byte) 0xff, (byte) 0x80, '\r', '\n'};
    assertThat(canonicalBytes(RELAXED, HeaderField.ofBytes(raw, 0, raw.length)))
        .isEqualTo(expected);
  }

  @Test
  void simpleIsByteIdentical() {
    Random random = new Random(63761);
    for (int n = 0; n < 2000; n++) {
      byte[] raw = randomField(random).getBytes(ISO_8859_1);
      if (n % 3 == 0) {
        raw[random.nextInt(raw.length)] = (byte) (0x80 + random.nextInt(0x80));
      }
      byte[] out = canonicalBytes(SIMPLE, HeaderField.ofBytes(raw, 0, raw.length));
      byte[] expected = new byte[raw.length + 2];
      System.arraycopy(raw, 0, expected, 0, raw.length);
      expected[raw.length] = '\r';
      expected[raw.length + 1] = '\n';
      assertThat(out).isEqualTo(expected);
    }
  }

  @Test
  void withoutCrlfForTheSignatureField() {
    // RFC 6376 §3.7: the DKIM-Signature field itself goes in without its trailing CRLF.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HeaderCanonicalizer.appendWithoutCrlf(RELAXED, "DKIM-Signature: v=1;\r\n b=", out);
    assertThat(out.toString(ISO_8859_1)).isEqualTo("dkim-signature:v=1; b=");
    out.reset();
    HeaderCanonicalizer.appendWithoutCrlf(SIMPLE, "DKIM-Signature: v=1;\r\n b=", out);
    assertThat(out.toString(ISO_8859_1)).isEqualTo("DKIM-Signature: v=1;\r\n b=");
  }

  @Test
  void appendsInOrder() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HeaderCanonicalizer.append(RELAXED, HeaderField.of("From: a@b"), out);
    HeaderCanonicalizer.append(RELAXED, HeaderField.of("To:  c@d "), out);
    assertThat(out.toString(ISO_8859_1)).isEqualTo("from:a@b\r\nto:c@d\r\n");
  }

  @Test
  void relaxedMatchesReferenceOnRandomFields() {
    Random random = new Random(63762);
    for (int n = 0; n < 5000; n++) {
      String raw = randomField(random);
      String once = HeaderCanonicalizer.relaxed(raw);
      assertThat(once).as(raw).isEqualTo(relaxedReference(raw));
      assertThat(HeaderCanonicalizer.relaxed(once)).as("idempotent").isEqualTo(once);
    }
  }

  // -- helpers

  /** RFC 6376 §3.4.2 step by step, for well-formed fields (folds are CRLF followed by WSP). */
  private static String relaxedReference(String raw) {
    int colon = raw.indexOf(':');
    String name = raw.substring(0, colon).toLowerCase(Locale.ROOT);
    String value = raw.substring(colon + 1);
    String unfolded = value.replace("\r\n", "");
    String reduced = unfolded.replaceAll("[ \t]+", " ");
    String trimmedValue = reduced.replaceAll("^ ", "").replaceAll(" $", "");
    String trimmedName = name.replaceAll("[ \t]+$", "").replaceAll("^[ \t]+", "");
    return trimmedName + ":" + trimmedValue;
  }

  /** A well-formed field with mixed-case names, WSP runs, WSP around the colon and folds. */
  private static String randomField(Random random) {
    String[] names = {"Subject", "from", "TO", "X-Mixed-Case", "dkim-signature", "Message-ID"};
    String[] wsp = {"", " ", "\t", "  \t", " \t "};
    String[] pieces = {
      "a", "B", "word", "=", ";", ":", "\"q\"", " ", "\t", "  ", "\r\n ", "\r\n\t", " \r\n  "
    };
    StringBuilder sb = new StringBuilder();
    sb.append(names[random.nextInt(names.length)]).append(wsp[random.nextInt(wsp.length)]);
    sb.append(':');
    int n = random.nextInt(12);
    for (int i = 0; i < n; i++) {
      sb.append(pieces[random.nextInt(pieces.length)]);
    }
    sb.append(wsp[random.nextInt(wsp.length)]);
    return sb.toString();
  }

  private static String canonical(Canonicalization c, String raw) {
    return new String(canonicalBytes(c, HeaderField.of(raw)), ISO_8859_1);
  }

  private static byte[] canonicalBytes(Canonicalization c, HeaderField field) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    HeaderCanonicalizer.append(c, field, out);
    return out.toByteArray();
  }

  private static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
  }

  @Test
  void relaxedLowercasesOnlyAsciiLettersInNames() {
    assertThat(HeaderCanonicalizer.relaxed("X-\u00C0bc: v")).isEqualTo("x-\u00C0bc:v");
  }
}
