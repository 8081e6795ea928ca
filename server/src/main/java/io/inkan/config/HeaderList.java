package io.inkan.config;

import java.util.ArrayList;
import java.util.List;

/**
 * A header-field list ({@code SignHeaders}, {@code OmitHeaders}, {@code OversignHeaders}, {@code
 * SenderHeaders}). An inline comma-separated list is parsed here; {@code SignHeaders} and {@code
 * OmitHeaders} accept OpenDKIM's delta form, where an entry {@code *} means "the default list" and
 * {@code +name}/{@code -name} add to or remove from it ({@code *,+foobar}, {@code *,-Bcc}). A list
 * held in another data set (a file, a database) stays in {@link #source} with empty lists.
 */
public record HeaderList(
    DataSetRef source,
    boolean inline,
    boolean extendsDefault,
    List<String> added,
    List<String> removed) {

  static HeaderList parse(ConfigLine line, boolean deltaAllowed) throws ConfigException {
    DataSetRef source = line.dataSet();
    if (source.kind() != DataSetRef.Kind.CSL) {
      return new HeaderList(source, false, false, List.of(), List.of());
    }
    boolean star = false;
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (String raw : source.body().split(",", -1)) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.equals("*")) {
        if (!deltaAllowed) {
          throw line.fail("header field names separated by commas (no \"*\" form for this key)");
        }
        star = true;
        continue;
      }
      boolean minus = entry.startsWith("-");
      String name = entry.startsWith("+") || minus ? entry.substring(1) : entry;
      if (!fieldName(name)) {
        throw line.fail("header field names separated by commas (RFC 5322 §3.6.8 field names)");
      }
      (minus ? removed : added).add(name);
    }
    if (!removed.isEmpty() && !star) {
      throw line.fail("\"-name\" entries only after \"*\" (e.g. *,-Bcc)");
    }
    return new HeaderList(source, true, star, List.copyOf(added), List.copyOf(removed));
  }

  private static boolean fieldName(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> c > 32 && c < 127 && c != ':');
  }
}
