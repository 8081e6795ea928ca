package io.inkan.cache;

/** DNS-name normalisation for cache keys. */
public final class DnsNames {
  private DnsNames() {}

  /**
   * The cache key form of {@code name}: ASCII letters lower-cased (RFC 4343 §3: only ASCII case is
   * insignificant) and one trailing root dot removed, unless it is escaped ({@code \.}) or the
   * whole name.
   */
  public static String normalise(String name) {
    int end = name.length();
    if (end > 1 && name.charAt(end - 1) == '.' && !escaped(name, end - 1)) {
      end--;
    }
    StringBuilder out = null;
    for (int i = 0; i < end; i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (out == null) {
          out = new StringBuilder(end).append(name, 0, i);
        }
        out.append((char) (c + ('a' - 'A')));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out != null ? out.toString() : name.substring(0, end);
  }

  private static boolean escaped(String name, int index) {
    int backslashes = 0;
    for (int i = index - 1; i >= 0 && name.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }
}
