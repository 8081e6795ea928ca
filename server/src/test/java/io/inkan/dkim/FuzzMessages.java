package io.inkan.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Random messages for {@link DkimFuzzTest}: header fields with odd case, folds, white space runs
 * and exact duplicates, signed and unsigned names mixed, and bodies of words, tabs, trailing white
 * space and blank lines.
 */
final class FuzzMessages {
  /** The names the signer signs (h=), lower case. */
  static final List<String> SIGNED =
      List.of(
          "from",
          "to",
          "cc",
          "subject",
          "date",
          "message-id",
          "reply-to",
          "mime-version",
          "content-type",
          "in-reply-to");

  /** Signed names a message may carry besides From. */
  static final List<String> SIGNED_NAMES =
      List.of(
          "To",
          "Cc",
          "Subject",
          "Date",
          "Message-ID",
          "Reply-To",
          "MIME-Version",
          "Content-Type",
          "In-Reply-To");

  private static final List<String> UNSIGNED_NAMES =
      List.of("X-Mailer", "X-Spam-Score", "Received", "X-Loop");

  private FuzzMessages() {}

  /** From (sometimes twice), an unsigned field and 3 to 11 more, shuffled, some duplicated. */
  static List<String> headerFields(Random r) {
    List<String> names = new ArrayList<>();
    names.add("From");
    if (r.nextInt(6) == 0) {
      names.add("From");
    }
    names.add(UNSIGNED_NAMES.get(r.nextInt(UNSIGNED_NAMES.size())));
    int more = 3 + r.nextInt(9);
    for (int i = 0; i < more; i++) {
      names.add(
          r.nextInt(4) == 0
              ? UNSIGNED_NAMES.get(r.nextInt(UNSIGNED_NAMES.size()))
              : SIGNED_NAMES.get(r.nextInt(SIGNED_NAMES.size())));
    }
    Collections.shuffle(names, r);
    List<String> fields = new ArrayList<>();
    for (String n : names) {
      String name =
          switch (r.nextInt(8)) {
            case 0 -> n.toUpperCase(Locale.ROOT);
            case 1 -> n.toLowerCase(Locale.ROOT);
            default -> n;
          };
      String sep = r.nextInt(10) == 0 ? " :" : ":";
      fields.add(name + sep + value(r));
      if (r.nextInt(8) == 0) {
        fields.add(fields.get(r.nextInt(fields.size()))); // an exact duplicate
      }
    }
    return fields;
  }

  private static String value(Random r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        switch (r.nextInt(6)) {
          case 0 -> "";
          case 1 -> "\t";
          case 2 -> "  ";
          case 3 -> "\r\n ";
          default -> " ";
        });
    int words = 1 + r.nextInt(8);
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(
            List.of(" ", " ", "  ", "\t", " \t ", "\r\n ", "\r\n\t", "\r\n   ").get(r.nextInt(8)));
      }
      sb.append(word(r));
    }
    if (r.nextInt(5) == 0) {
      sb.append(r.nextBoolean() ? " " : "\t ");
    }
    return sb.toString();
  }

  private static String word(Random r) {
    StringBuilder sb = new StringBuilder();
    int n = 1 + r.nextInt(12);
    for (int i = 0; i < n; i++) {
      sb.append((char) (0x21 + r.nextInt(0x7f - 0x21)));
    }
    return sb.toString();
  }

  /** {@code n} words, each after one SP. */
  static String words(Random r, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(' ').append(word(r));
    }
    return sb.toString();
  }

  /** Lines of words, tabs, runs of spaces, trailing white space and blank lines. */
  static byte[] body(Random r, boolean endsInCrlf) {
    int lines =
        switch (r.nextInt(10)) {
          case 0 -> 0;
          case 1 -> 300 + r.nextInt(400); // longer than the canonicalizer's buffer
          default -> r.nextInt(25);
        };
    if (endsInCrlf && lines == 0) {
      lines = 1;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      if (i > 0) {
        sb.append("\r\n");
      }
      switch (r.nextInt(6)) {
        case 0 -> {}
        case 1 -> sb.append(List.of(" ", "\t", " \t  ").get(r.nextInt(3)));
        default -> {
          if (r.nextInt(4) == 0) {
            sb.append(r.nextBoolean() ? " " : "\t");
          }
          int n = 1 + r.nextInt(10);
          for (int w = 0; w < n; w++) {
            if (w > 0) {
              sb.append(List.of(" ", " ", "  ", "\t", " \t").get(r.nextInt(5)));
            }
            sb.append(word(r));
          }
          if (r.nextInt(4) == 0) {
            sb.append(List.of(" ", "\t", "   ").get(r.nextInt(3)));
          }
        }
      }
    }
    if (lines > 0 && (endsInCrlf || r.nextInt(4) != 0)) {
      sb.append("\r\n");
    }
    int blank = r.nextInt(4) == 0 ? 1 + r.nextInt(3) : 0;
    sb.append("\r\n".repeat(lines > 0 || endsInCrlf ? blank : 0));
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
