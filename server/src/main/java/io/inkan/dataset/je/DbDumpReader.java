package io.inkan.dataset.je;

import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.Source;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the output of the C Berkeley DB's {@code db_dump} (db_dump(1), db_load(1)): header lines
 * {@code NAME=VALUE} up to {@code HEADER=END}, then key and value lines, each starting with one
 * space, up to {@code DATA=END}. With {@code format=print} ({@code db_dump -p}) a data line holds
 * printable bytes, {@code \\} for a backslash and {@code \hh} for any other byte; with {@code
 * format=bytevalue} it is all hex pairs.
 *
 * <p>OpenDKIM looks keys up by their {@code strlen()} and reads values as C strings (opendkim-db.c,
 * {@code dkimf_db_get()}), so a NUL is never part of what it uses: a trailing NUL on a key (as
 * {@code makemap -N} writes) is dropped, a value ends at its first NUL, and an empty value is an
 * entry with only a key. A key still holding a NUL could never be found, and is refused.
 */
public final class DbDumpReader {
  private enum State {
    HEADER,
    KEY,
    VALUE,
    DONE
  }

  private final String name;
  private final List<DataSetEntry> entries = new ArrayList<>();
  private State state = State.HEADER;
  private boolean sawVersion;
  private boolean bytevalue;
  private int lineNo;
  private String key;
  private Source keyAt;

  private DbDumpReader(String name) {
    this.name = name;
  }

  /** Whether {@code bytes} starts like a dump: a first line {@code VERSION=n}. */
  public static boolean looksLikeDump(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && bytes[end] != '\n' && end < 64) {
      end++;
    }
    String first = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).strip();
    return first.matches("VERSION=[0-9]+");
  }

  /** The entries of a dump, in dump order; {@code name} names the input in error messages. */
  public static List<DataSetEntry> read(byte[] bytes, String name) throws JeTableException {
    DbDumpReader reader = new DbDumpReader(name);
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      int stop = end > start && bytes[end - 1] == '\r' ? end - 1 : end;
      reader.line(Arrays.copyOfRange(bytes, start, stop));
      start = end + 1;
    }
    return reader.finish();
  }

  private void line(byte[] line) throws JeTableException {
    lineNo++;
    switch (state) {
      case HEADER -> header(new String(line, StandardCharsets.ISO_8859_1));
      case KEY, VALUE -> data(line);
      case DONE -> after(new String(line, StandardCharsets.ISO_8859_1));
    }
  }

  private void header(String line) throws JeTableException {
    if (line.startsWith(" ")) {
      throw error("a data line before HEADER=END");
    }
    int eq = line.indexOf('=');
    if (eq < 1) {
      throw error("expected a header line NAME=VALUE or HEADER=END");
    }
    String field = line.substring(0, eq);
    String value = line.substring(eq + 1);
    if (!sawVersion && !field.equals("VERSION")) {
      throw error("a dump starts with VERSION=3");
    }
    switch (field) {
      case "VERSION" -> {
        if (!value.equals("3") && !value.equals("2")) {
          throw error("VERSION=" + value + " is not a db_dump format this reader knows (3)");
        }
        sawVersion = true;
      }
      case "format" -> {
        if (!value.equals("print") && !value.equals("bytevalue")) {
          throw error("format=" + value + ": expected print or bytevalue");
        }
        bytevalue = value.equals("bytevalue");
      }
      case "type" -> {
        if (!value.equals("btree") && !value.equals("hash")) {
          throw error("type=" + value + ": only btree and hash databases map keys to values");
        }
      }
      case "keys" -> {
        if (value.equals("0")) {
          throw error("keys=0: a dump without keys cannot be a table");
        }
      }
      case "HEADER" -> {
        if (!value.equals("END")) {
          throw error("expected HEADER=END");
        }
        state = State.KEY;
      }
      default -> {
        // page size, fill factor, database name...: how the C library stored it, not what
      }
    }
  }

  private void data(byte[] line) throws JeTableException {
    if (line.length == 0 || line[0] != ' ') {
      String text = new String(line, StandardCharsets.ISO_8859_1);
      if (text.equals("DATA=END")) {
        if (state == State.VALUE) {
          throw JeTableException.at(keyAt, "a key without a value line");
        }
        state = State.DONE;
        return;
      }
      throw error("expected a data line starting with one space, or DATA=END");
    }
    byte[] bytes = bytevalue ? hex(line) : printable(line);
    if (state == State.KEY) {
      keyAt = new Source(name, lineNo);
      key = key(bytes);
      state = State.VALUE;
    } else {
      entries.add(new DataSetEntry(key, value(bytes), keyAt));
      state = State.KEY;
    }
  }

  private void after(String line) throws JeTableException {
    if (line.startsWith("VERSION=")) {
      throw error(
          "a second database in the dump; dump one at a time (db_dump -p -s NAME) and import each"
              + " into its own directory");
    }
    if (!line.isBlank()) {
      throw error("text after DATA=END");
    }
  }

  private List<DataSetEntry> finish() throws JeTableException {
    return switch (state) {
      case HEADER -> throw error("the dump ends before HEADER=END");
      case VALUE -> throw JeTableException.at(keyAt, "a key without a value line");
      case KEY -> throw error("the dump ends without DATA=END (is it cut short?)");
      case DONE -> List.copyOf(entries);
    };
  }

  private String key(byte[] bytes) throws JeTableException {
    int n = bytes.length;
    if (n > 0 && bytes[n - 1] == 0) {
      n--;
    }
    if (n == 0) {
      throw error("an empty key");
    }
    for (int i = 0; i < n; i++) {
      if (bytes[i] == 0) {
        throw error("a key holding a NUL byte, which OpenDKIM could never look up");
      }
    }
    return utf8(Arrays.copyOf(bytes, n), "key");
  }

  private String value(byte[] bytes) throws JeTableException {
    int n = 0;
    while (n < bytes.length && bytes[n] != 0) {
      n++;
    }
    return n == 0 ? null : utf8(Arrays.copyOf(bytes, n), "value");
  }

  private String utf8(byte[] bytes, String what) throws JeTableException {
    try {
      return JeLayout.text(bytes);
    } catch (CharacterCodingException e) {
      throw error("the " + what + " is not valid UTF-8");
    }
  }

  /** A {@code format=print} line after its leading space. */
  private byte[] printable(byte[] line) throws JeTableException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(line.length);
    for (int i = 1; i < line.length; i++) {
      byte b = line[i];
      if (b != '\\') {
        out.write(b);
      } else if (i + 1 < line.length && line[i + 1] == '\\') {
        out.write('\\');
        i++;
      } else if (i + 2 < line.length && hexDigit(line[i + 1]) >= 0 && hexDigit(line[i + 2]) >= 0) {
        out.write(hexDigit(line[i + 1]) << 4 | hexDigit(line[i + 2]));
        i += 2;
      } else {
        throw error("a backslash must be followed by two hex digits or another backslash");
      }
    }
    return out.toByteArray();
  }

  /** A {@code format=bytevalue} line after its leading space. */
  private byte[] hex(byte[] line) throws JeTableException {
    if ((line.length - 1) % 2 != 0) {
      throw error("an odd number of hex digits");
    }
    byte[] out = new byte[(line.length - 1) / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = hexDigit(line[1 + 2 * i]);
      int lo = hexDigit(line[2 + 2 * i]);
      if (hi < 0 || lo < 0) {
        throw error("expected hex digits");
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  private static int hexDigit(byte b) {
    if (b >= '0' && b <= '9') {
      return b - '0';
    }
    if (b >= 'a' && b <= 'f') {
      return b - 'a' + 10;
    }
    if (b >= 'A' && b <= 'F') {
      return b - 'A' + 10;
    }
    return -1;
  }

  private JeTableException error(String reason) {
    return JeTableException.at(new Source(name, lineNo), reason);
  }
}
