package io.inkan.dns;

/** The zone-file (RFC 1035 §5.1) text of a TXT record: quoted strings, parentheses, comments. */
final class ZoneText {
  private ZoneText() {}

  /**
   * Whether a value is zone-file style rather than bare record text: it starts with a quote or a
   * parenthesis, or its first word (an owner name, {@code IN}, {@code TXT}) has no {@code =} while
   * a quote follows. Bare DKIM records always start with a {@code tag=}.
   */
  static boolean looksZoneStyle(String value) {
    String v = value.strip();
    if (v.startsWith("\"") || v.startsWith("(")) {
      return true;
    }
    String first = v.split("\\s+", 2)[0];
    return !first.contains("=") && v.indexOf('"') > 0;
  }

  /** Parentheses opened and not yet closed, outside quoted strings and comments. */
  static int openParens(String text) {
    int depth = 0;
    boolean quoted = false;
    boolean comment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (comment) {
        comment = c != '\n';
      } else if (quoted) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          quoted = false;
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ';') {
        comment = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
    }
    return depth;
  }

  /**
   * The concatenated quoted strings, with {@code \"}, {@code \\} and {@code \DDD} unescaped; words
   * outside quotes (owner name, class, type) and comments are skipped.
   *
   * @throws IllegalArgumentException on an unterminated string or a bad escape
   */
  static String strings(String text) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    boolean any = false;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == ';') {
        int nl = text.indexOf('\n', i);
        i = nl < 0 ? text.length() : nl;
      } else if (c == '"') {
        i = quoted(text, i + 1, out);
        any = true;
      } else {
        i++;
      }
    }
    if (!any) {
      throw new IllegalArgumentException("no quoted string in the record");
    }
    return out.toString();
  }

  private static int quoted(String text, int i, StringBuilder out) {
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '"') {
        return i + 1;
      }
      if (c == '\\') {
        if (i + 1 >= text.length()) {
          break;
        }
        char next = text.charAt(i + 1);
        if (Character.isDigit(next)) {
          if (i + 4 > text.length()
              || !text.substring(i + 1, i + 4).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("bad \\DDD escape");
          }
          int v = Integer.parseInt(text.substring(i + 1, i + 4));
          if (v > 255) {
            throw new IllegalArgumentException("\\DDD escape above 255");
          }
          out.append((char) v);
          i += 4;
        } else {
          out.append(next);
          i += 2;
        }
        continue;
      }
      out.append(c);
      i++;
    }
    throw new IllegalArgumentException("unterminated quoted string");
  }
}
