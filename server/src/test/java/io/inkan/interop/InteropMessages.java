package io.inkan.interop;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.inkan.dkim.Canonicalization;
import java.util.Arrays;

/** The messages DkimpyInteropTest sends both ways, and byte helpers to inspect and alter them. */
final class InteropMessages {
  private InteropMessages() {}

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

  /**
   * Inputs on which Inkan and dkimpy read RFC 6376 differently. Neither is valid mail (over SMTP a
   * body always ends in CRLF; RFC 5322 allows no bare CR in a header field), so real mail is not
   * affected, but each makes one relaxed canonicalization disagree. DkimpyInteropTest pins today's
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
            crlf("From: alice@example.com\nSubject: no final CRLF\n\nfirst line\n"),
            text("last line \t "))),
    /**
     * A bare CR inside a header value, relaxed header (§3.4.2). Inkan deletes every CR and LF of
     * the value; dkimpy removes only CRLF pairs and keeps the CR; OpenDKIM turns it into a space.
     */
    BARE_CR_IN_HEADER(
        new Canonicalization.Pair(Canonicalization.RELAXED, Canonicalization.SIMPLE),
        crlf("From: alice@example.com\nSubject: bare\rCR inside\n\nbody\n"));

    final Canonicalization.Pair diverging;
    final byte[] message;

    Divergence(Canonicalization.Pair diverging, byte[] message) {
      this.diverging = diverging;
      this.message = message;
    }
  }

  static byte[] text(String s) {
    return s.getBytes(UTF_8);
  }

  /** The text with each LF made CRLF. */
  static byte[] crlf(String s) {
    return text(s.replace("\n", "\r\n"));
  }

  static boolean usesCrlf(byte[] message) {
    int lf = indexOf(message, "\n".getBytes(ISO_8859_1), 0);
    return lf > 0 && message[lf - 1] == '\r';
  }

  /** The header block, for failure messages: it holds the signatures. */
  static String headerBlock(byte[] message) {
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

  static byte[] alterBody(byte[] signed) {
    return toggleFirstLetter(signed, bodyStart(signed));
  }

  static byte[] alterSubject(byte[] signed) {
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

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
