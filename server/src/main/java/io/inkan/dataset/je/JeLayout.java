package io.inkan.dataset.je;

import com.sleepycat.je.EnvironmentConfig;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How Inkan lays out a table in a JE environment. Two databases:
 *
 * <ul>
 *   <li>{@value #EXACT}: key → value, both UTF-8 without a NUL terminator; an empty value means the
 *       entry has only a key;
 *   <li>{@value #FOLDED}: the key in ASCII lower case → the exact key of the first entry (in import
 *       order) with that folded key, which {@link io.inkan.dataset.KeyCase#INSENSITIVE} lookups go
 *       through, as {@code strcasecmp} would find it in a {@code file:} set.
 * </ul>
 */
final class JeLayout {
  static final String EXACT = "inkan.exact";
  static final String FOLDED = "inkan.ascii-folded";

  /** JE's cache, shared by every read-only environment in the process. */
  private static final long CACHE_BYTES = 32L << 20;

  private JeLayout() {}

  static EnvironmentConfig readOnly() {
    EnvironmentConfig config = quiet(new EnvironmentConfig());
    config.setReadOnly(true);
    config.setAllowCreate(false);
    config.setSharedCache(true);
    return config;
  }

  static EnvironmentConfig readWrite(boolean create) {
    EnvironmentConfig config = quiet(new EnvironmentConfig());
    config.setAllowCreate(create);
    return config;
  }

  private static EnvironmentConfig quiet(EnvironmentConfig config) {
    config.setTransactional(false);
    config.setCacheSize(CACHE_BYTES);
    config.setConfigParam(EnvironmentConfig.FILE_LOGGING_LEVEL, "OFF");
    config.setConfigParam(EnvironmentConfig.CONSOLE_LOGGING_LEVEL, "OFF");
    config.setConfigParam(EnvironmentConfig.STATS_COLLECT, "false");
    return config;
  }

  /** Whether a file name is one JE keeps in an environment directory. */
  static boolean isJeFile(String name) {
    return name.endsWith(".jdb") || name.endsWith(".bad") || name.startsWith("je.");
  }

  /** ASCII lower case, like C's {@code tolower()} in the C locale. */
  static String fold(String s) {
    char[] out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        if (out == null) {
          out = s.toCharArray();
        }
        out[i] = (char) (c + ('a' - 'A'));
      }
    }
    return out == null ? s : new String(out);
  }

  /** The UTF-8 bytes of {@code s}, or {@code null} when it holds an unpaired surrogate. */
  static byte[] utf8(String s) {
    try {
      ByteBuffer b =
          StandardCharsets.UTF_8
              .newEncoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .encode(CharBuffer.wrap(s));
      return Arrays.copyOfRange(b.array(), b.arrayOffset(), b.arrayOffset() + b.limit());
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Strict UTF-8 decoding. */
  static String text(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
