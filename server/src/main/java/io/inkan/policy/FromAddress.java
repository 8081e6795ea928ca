package io.inkan.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * The author address of a From field value (RFC 5322 §3.4, §3.6.2), enough to pick a signing key:
 * folding is undone, comments (nested, with quoted pairs) are dropped, a display name is skipped in
 * favour of the {@code <addr-spec>}, and of a mailbox list the first mailbox counts, as OpenDKIM's
 * {@code dkim_mail_parse()} does. Never throws: a value without a usable address is empty.
 *
 * @param local the local part as written (quotes kept)
 * @param domain the domain, lower case, without a trailing dot
 */
record FromAddress(String local, String domain) {

  /** {@code local@domain}. */
  String address() {
    return local + "@" + domain;
  }

  static Optional<FromAddress> parse(String value) {
    String text = withoutComments(value.replace("\r", "").replace("\n", ""));
    String spec = firstMailbox(text);
    if (spec == null) {
      return Optional.empty();
    }
    int at = spec.lastIndexOf('@');
    if (at <= 0 || at == spec.length() - 1) {
      return Optional.empty();
    }
    String local = spec.substring(0, at).strip();
    String domain = spec.substring(at + 1).strip().toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (local.isEmpty() || domain.isEmpty() || !domain.chars().allMatch(FromAddress::domainChar)) {
      return Optional.empty();
    }
    return Optional.of(new FromAddress(local, domain));
  }

  private static boolean domainChar(int c) {
    return c > ' ' && c < 0x7f && "()<>,;:\\\"@".indexOf(c) < 0;
  }

  /** The first mailbox's addr-spec: inside angle brackets when present, else the bare text. */
  private static String firstMailbox(String text) {
    boolean quoted = false;
    int open = -1;
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\\' && quoted) {
        i++;
      } else if (c == '"') {
        quoted = !quoted;
      } else if (quoted) {
        continue;
      } else if (c == '<') {
        open = i;
      } else if (c == '>' && open >= 0) {
        return text.substring(open + 1, i).strip();
      } else if (c == ':' && open < 0) {
        start = i + 1; // group syntax: "undisclosed: a@b;"
      } else if ((c == ',' || c == ';') && open < 0) {
        String bare = text.substring(start, i).strip();
        if (!bare.isEmpty()) {
          return bare;
        }
        start = i + 1;
      }
    }
    if (open >= 0 || quoted) {
      return null;
    }
    String bare = text.substring(start).strip();
    return bare.isEmpty() || bare.indexOf(' ') >= 0 && bare.indexOf('"') < 0 ? null : bare;
  }

  /** Drops RFC 5322 §3.2.2 comments outside quoted strings. */
  private static String withoutComments(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    int depth = 0;
    boolean quoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && (quoted || depth > 0)) {
        if (depth == 0) {
          sb.append(c).append(s.charAt(i + 1));
        }
        i++;
      } else if (depth == 0 && c == '"') {
        quoted = !quoted;
        sb.append(c);
      } else if (!quoted && c == '(') {
        depth++;
      } else if (!quoted && c == ')' && depth > 0) {
        depth--;
        sb.append(depth == 0 ? " " : "");
      } else if (depth == 0) {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
