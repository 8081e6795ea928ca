package io.inkan.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * Splits opendkim.conf files into {@link ConfigLine}s, following {@code Include}, exactly as
 * OpenDKIM's {@code config_load_level()} reads them: each line is cut at the first {@code #} or
 * carriage return (so a comment may follow a value, and a value cannot contain {@code #}); the name
 * is the first run of non-blank characters (blanks are space and tab); the value is the rest with
 * blanks trimmed and must not be empty. Unknown names are errors; OpenDKIM keys that Inkan does not
 * implement give one warning each. {@code Include} nests at most five levels, as in OpenDKIM, and a
 * file that includes itself directly or indirectly is an error; a relative {@code Include} path is
 * taken relative to the including file's folder (OpenDKIM uses the working directory).
 */
final class ConfigFileReader {
  static final int MAX_INCLUDE_DEPTH = 5;

  private final List<ConfigLine> lines = new ArrayList<>();
  private final List<ConfigWarning> warnings = new ArrayList<>();
  private final Deque<Path> open = new ArrayDeque<>();

  List<ConfigLine> lines() {
    return lines;
  }

  List<ConfigWarning> warnings() {
    return warnings;
  }

  void read(Path file) throws ConfigException {
    String text;
    try {
      text = decode(Files.readAllBytes(file));
      open.push(file.toRealPath());
    } catch (NoSuchFileException e) {
      throw new ConfigException(file.toString(), 0, "(file)", "an existing file", "none");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file.toString(), 0, "(file)", "UTF-8 text", "other bytes");
    } catch (IOException e) {
      throw new ConfigException(file.toString(), 0, "(file)", "a readable file", e.toString());
    }
    String[] raw = text.split("\n", -1);
    int count = text.endsWith("\n") ? raw.length - 1 : raw.length;
    for (int i = 0; i < count; i++) {
      line(file, i + 1, raw[i]);
    }
    open.pop();
  }

  private void line(Path file, int number, String raw) throws ConfigException {
    int cut = raw.length();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '#' || c == '\r') {
        cut = i;
        break;
      }
    }
    String s = raw.substring(0, cut);
    int start = skipBlanks(s, 0);
    if (start == s.length()) {
      return;
    }
    int end = start;
    while (end < s.length() && !blank(s.charAt(end))) {
      end++;
    }
    String name = s.substring(start, end);
    String value = strip(s.substring(end));
    String where = file.toString();
    ConfigKeys.Key key =
        ConfigKeys.find(name)
            .orElseThrow(
                () ->
                    new ConfigException(
                        where,
                        number,
                        name,
                        "a key of opendkim.conf(5) or Inkan"
                            + ConfigKeys.closest(name)
                                .map(k -> " (did you mean " + k + "?)")
                                .orElse(""),
                        "an unknown key"));
    ConfigLine line = new ConfigLine(key.name(), name, value, where, number);
    if (value.isEmpty()) {
      throw line.fail("a value");
    }
    if (key.keyClass() == ConfigKeys.KeyClass.NOT_IMPLEMENTED) {
      warnings.add(
          line.warn("OpenDKIM key not implemented by Inkan (" + key.note() + "); ignored"));
    } else if (key.name().equals("Include")) {
      include(line, file);
    } else {
      lines.add(line);
    }
  }

  private void include(ConfigLine line, Path from) throws ConfigException {
    Path target = from.toAbsolutePath().resolveSibling(line.path());
    if (open.size() > MAX_INCLUDE_DEPTH) {
      throw line.fail("at most " + MAX_INCLUDE_DEPTH + " nested Include levels");
    }
    Path real;
    try {
      real = target.toRealPath();
    } catch (IOException e) {
      throw line.fail("an existing, readable file");
    }
    if (open.contains(real)) {
      List<Path> chain = new ArrayList<>(open);
      Collections.reverse(chain);
      chain.add(real);
      throw line.fail("a file not already being read (Include cycle: " + chain + ")");
    }
    read(target);
  }

  private static String decode(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t';
  }

  private static int skipBlanks(String s, int i) {
    while (i < s.length() && blank(s.charAt(i))) {
      i++;
    }
    return i;
  }

  private static String strip(String s) {
    int a = skipBlanks(s, 0);
    int b = s.length();
    while (b > a && blank(s.charAt(b - 1))) {
      b--;
    }
    return s.substring(a, b);
  }
}
