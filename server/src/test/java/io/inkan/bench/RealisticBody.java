package io.inkan.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A deterministic mail body that looks like real traffic to a canonicalizer: prose lines of 40–78
 * characters, some with trailing white space or tabs, quoted and indented lines, empty lines
 * between paragraphs, long unwrapped HTML lines and MIME base64 blocks of 76-character lines.
 */
final class RealisticBody {
  private static final String[] WORDS = {
    "the",
    "game",
    "dinner",
    "ready",
    "we",
    "lost",
    "are",
    "you",
    "hungry",
    "yet",
    "mail",
    "signature",
    "relaxed",
    "canonical",
    "<b>bold</b>",
    "example.org",
    "Joe",
    "Suzie",
    "2024,",
    "really?",
    "ok.",
    "--",
    "=E9t=E9",
    "https://example.com/x?y=1&z=2",
    "a",
    "of",
    "to",
    "and"
  };
  private static final String BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

  private RealisticBody() {}

  /** Exactly {@code size} bytes (at least 2), CRLF line ends, ending in CRLF. */
  static byte[] of(int size, long seed) {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder(size + 4096);
    while (sb.length() < size) {
      int kind = random.nextInt(100);
      if (kind < 8) {
        base64Block(sb, random, 5 + random.nextInt(40));
      } else if (kind < 12) {
        words(sb, random, 300 + random.nextInt(1700), ""); // long HTML-ish line
        sb.append("\r\n");
      } else {
        paragraph(sb, random, 2 + random.nextInt(8));
      }
    }
    sb.setLength(size - 2);
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void paragraph(StringBuilder sb, Random random, int lines) {
    String prefix = random.nextInt(6) == 0 ? "> " : random.nextInt(10) == 0 ? "\t" : "";
    for (int i = 0; i < lines; i++) {
      words(sb, random, 40 + random.nextInt(39), prefix);
      int trail = random.nextInt(10);
      if (trail == 0) {
        sb.append(' ');
      } else if (trail == 1) {
        sb.append(" \t  ");
      }
      sb.append("\r\n");
    }
    sb.append(random.nextInt(5) == 0 ? " \r\n" : "\r\n");
  }

  private static void words(StringBuilder sb, Random random, int width, String prefix) {
    int start = sb.length();
    sb.append(prefix);
    while (sb.length() - start < width) {
      sb.append(WORDS[random.nextInt(WORDS.length)]);
      sb.append(random.nextInt(15) == 0 ? "  " : " ");
    }
    sb.setLength(sb.length() - 1);
  }

  private static void base64Block(StringBuilder sb, Random random, int lines) {
    for (int i = 0; i < lines; i++) {
      for (int j = 0; j < 76; j++) {
        sb.append(BASE64.charAt(random.nextInt(64)));
      }
      sb.append("\r\n");
    }
  }
}
