package io.inkan.dataset;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One element of a data set: a key, an optional value and where it came from. A value holding
 * several entries separates them with colons (opendkim(8), DATA SETS).
 *
 * @param key the key as written (for {@code refile:} sets, the pattern)
 * @param value the value as written, trimmed, or {@code null} when the line has only a key
 * @param source the data set file and line, or the configuration line of a {@code csl:} set
 */
public record DataSetEntry(String key, String value, Source source) {
  public DataSetEntry {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(source, "source");
  }

  /** Whether the entry has a value (a line with only a key has none). */
  public boolean hasValue() {
    return value != null;
  }

  /** The value split at every colon; empty when the entry has no value. */
  public List<String> values() {
    return value == null ? List.of() : split(value, Integer.MAX_VALUE);
  }

  /**
   * The value split into at most {@code fields} parts, the last taking the remainder with its
   * colons, as OpenDKIM's {@code dkimf_db_datasplit()} fills a request for that many fields (so a
   * KeyTable value {@code example.com:sel:/keys/a:b} read as three fields keeps {@code /keys/a:b}).
   */
  public List<String> values(int fields) {
    if (fields < 1) {
      throw new IllegalArgumentException("fields must be >= 1, got " + fields);
    }
    return value == null ? List.of() : split(value, fields);
  }

  private static List<String> split(String value, int fields) {
    List<String> out = new ArrayList<>(4);
    int start = 0;
    while (out.size() < fields - 1) {
      int colon = value.indexOf(':', start);
      if (colon < 0) {
        break;
      }
      out.add(value.substring(start, colon));
      start = colon + 1;
    }
    out.add(value.substring(start));
    return List.copyOf(out);
  }
}
