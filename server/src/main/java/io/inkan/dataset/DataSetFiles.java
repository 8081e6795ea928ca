package io.inkan.dataset;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the flat files behind {@code file:} and {@code refile:} sets, line by line as OpenDKIM's
 * {@code dkimf_db_open()} does (opendkim-db.c): text from {@code #} to the end of the line is a
 * comment, surrounding whitespace is trimmed, blank lines are skipped, the key runs to the first
 * whitespace and the value (if any) is the rest of the line, trimmed; it may itself hold spaces.
 */
final class DataSetFiles {
  private DataSetFiles() {}

  static List<DataSetEntry> read(String spec, Source declaredAt, String path)
      throws DataSetException {
    Source whole = new Source(path, 0);
    byte[] bytes;
    try {
      Path p = Path.of(path);
      if (Files.isDirectory(p)) {
        throw new DataSetException(declaredAt, whole, spec, "is a directory, not a file");
      }
      bytes = Files.readAllBytes(p);
    } catch (InvalidPathException e) {
      throw new DataSetException(declaredAt, whole, spec, "not a valid path: " + e.getReason());
    } catch (NoSuchFileException e) {
      throw new DataSetException(declaredAt, whole, spec, "cannot read: no such file");
    } catch (AccessDeniedException e) {
      throw new DataSetException(declaredAt, whole, spec, "cannot read: permission denied");
    } catch (IOException | SecurityException e) {
      throw new DataSetException(declaredAt, whole, spec, "cannot read: " + e);
    }
    return parse(spec, declaredAt, path, bytes);
  }

  static List<DataSetEntry> parse(String spec, Source declaredAt, String path, byte[] bytes)
      throws DataSetException {
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<DataSetEntry> out = new ArrayList<>();
    int lineNo = 0;
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      lineNo++;
      Source at = new Source(path, lineNo);
      String line;
      try {
        line = utf8.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
      } catch (CharacterCodingException e) {
        throw new DataSetException(declaredAt, at, spec, "line is not valid UTF-8");
      }
      DataSetEntry entry = entry(line, at);
      if (entry != null) {
        out.add(entry);
      }
      start = end + 1;
    }
    return out;
  }

  /** The entry a line holds, or {@code null} for a blank or comment line. */
  static DataSetEntry entry(String line, Source at) {
    int hash = line.indexOf('#');
    String text = trim(hash < 0 ? line : line.substring(0, hash));
    if (text.isEmpty()) {
      return null;
    }
    int gap = 0;
    while (gap < text.length() && !isSpace(text.charAt(gap))) {
      gap++;
    }
    if (gap == text.length()) {
      return new DataSetEntry(text, null, at);
    }
    return new DataSetEntry(text.substring(0, gap), trim(text.substring(gap)), at);
  }

  /** C's {@code isspace()} in the C locale. */
  static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }

  static String trim(String s) {
    int b = 0;
    int e = s.length();
    while (b < e && isSpace(s.charAt(b))) {
      b++;
    }
    while (e > b && isSpace(s.charAt(e - 1))) {
      e--;
    }
    return s.substring(b, e);
  }
}
