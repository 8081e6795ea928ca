package io.inkan.dataset.je;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import io.inkan.dataset.DataSetUnavailableException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code inkan db export} writes: a table in the plain format of {@code file:} sets, one
 * {@code KEY VALUE} (or {@code KEY}) line per entry in key order. Where keys differ only in ASCII
 * case, the one case-insensitive lookups find is written first, so that importing the output again
 * gives the same answers. An entry the format cannot hold (a key with white space or {@code #}, a
 * value with {@code #}, a line break or surrounding white space) fails the export.
 */
public final class TableExport {
  private TableExport() {}

  /**
   * Writes the table in the JE environment {@code dir} to {@code out}.
   *
   * @return how many entries were written
   */
  public static int export(Path dir, OutputStream out) throws JeTableException, IOException {
    if (!Files.isDirectory(dir)) {
      throw new JeTableException(dir + ": no such directory");
    }
    SharedReadOnlyEnvironment env = SharedReadOnlyEnvironment.acquire(dir.toRealPath());
    try {
      return env.read(h -> write(h, out));
    } catch (UncheckedIOException e) {
      throw e.getCause();
    } catch (DataSetUnavailableException e) {
      throw new JeTableException(e.getMessage());
    } catch (Unrepresentable e) {
      throw new JeTableException(dir + ": " + e.getMessage());
    } finally {
      env.release();
    }
  }

  private static int write(JeHandles h, OutputStream out) {
    // Keys that differ only in case, waiting for the variant the folded index names.
    Map<String, List<String>> waiting = new HashMap<>();
    int written = 0;
    DatabaseEntry key = new DatabaseEntry();
    DatabaseEntry value = new DatabaseEntry();
    DatabaseEntry chosen = new DatabaseEntry();
    try (Cursor cursor = h.exact().openCursor(null, null)) {
      while (cursor.getNext(key, value, LockMode.READ_UNCOMMITTED) == OperationStatus.SUCCESS) {
        String k = text(key.getData());
        String line = line(k, value.getSize() == 0 ? null : text(value.getData()));
        byte[] folded = JeLayout.utf8(JeLayout.fold(k));
        byte[] first = key.getData();
        if (h.folded().get(null, new DatabaseEntry(folded), chosen, LockMode.READ_UNCOMMITTED)
            == OperationStatus.SUCCESS) {
          first = chosen.getData();
        }
        // The cursor walks keys in JE's default order, unsigned bytes, so a chosen key that sorts
        // before this one has been written already.
        int order = Arrays.compareUnsigned(first, key.getData());
        if (order <= 0) {
          written += emit(out, line);
        }
        if (order == 0) {
          for (String later : waiting.getOrDefault(k, List.of())) {
            written += emit(out, later);
          }
          waiting.remove(k);
        } else if (order > 0) {
          waiting.computeIfAbsent(text(first), f -> new ArrayList<>()).add(line);
        }
      }
    }
    for (List<String> orphans : waiting.values()) {
      for (String line : orphans) {
        written += emit(out, line);
      }
    }
    return written;
  }

  private static int emit(OutputStream out, String line) {
    try {
      out.write(line.getBytes(StandardCharsets.UTF_8));
      return 1;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String line(String key, String value) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '#' || c == 0 || isSpace(c)) {
        throw new Unrepresentable(
            "the key \"" + printable(key) + "\" holds white space or '#'; a table cannot");
      }
    }
    if (value == null) {
      return key + "\n";
    }
    if (value.indexOf('#') >= 0
        || value.indexOf('\n') >= 0
        || value.indexOf('\r') >= 0
        || value.indexOf(0) >= 0
        || isSpace(value.charAt(0))
        || isSpace(value.charAt(value.length() - 1))) {
      throw new Unrepresentable(
          "the value of \""
              + printable(key)
              + "\" holds '#', a line break or surrounding white space; a table cannot");
    }
    return key + " " + value + "\n";
  }

  /** C's {@code isspace()} in the C locale, as the {@code file:} parser splits lines. */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
    }
    return sb.toString();
  }

  private static String text(byte[] bytes) {
    try {
      return JeLayout.text(bytes);
    } catch (CharacterCodingException e) {
      throw new Unrepresentable("an entry is not valid UTF-8: " + Arrays.toString(bytes));
    }
  }

  /** An entry the plain table format cannot hold. */
  private static final class Unrepresentable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unrepresentable(String message) {
      super(message, null, false, false);
    }
  }
}
