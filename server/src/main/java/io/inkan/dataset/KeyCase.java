package io.inkan.dataset;

/**
 * Whether a data set's keys compare with or without regard to case. OpenDKIM opens most data sets
 * with {@code DKIMF_DB_FLAG_ICASE} (host lists, SigningTable, ...: ASCII {@code strcasecmp}); it
 * opens KeyTable and MacroList without it (opendkim.c, {@code dkimf_config_load()}).
 */
public enum KeyCase {
  /** Keys equal ignoring ASCII case, like C's {@code strcasecmp} in the C locale. */
  INSENSITIVE,
  /** Keys equal only when identical. */
  SENSITIVE;

  String fold(String key) {
    return this == SENSITIVE ? key : asciiLower(key);
  }

  static String asciiLower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        char[] out = s.toCharArray();
        for (int j = i; j < out.length; j++) {
          if (out[j] >= 'A' && out[j] <= 'Z') {
            out[j] = (char) (out[j] + ('a' - 'A'));
          }
        }
        return new String(out);
      }
    }
    return s;
  }
}
