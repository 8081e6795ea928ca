package io.inkan.dataset;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code refile:} data set: each key is a pattern in which {@code *} matches any text (including
 * none) and every other character stands for itself; a pattern must match the whole query; the
 * first matching pattern in file order wins (opendkim(8), DATA SETS b).
 *
 * <p>OpenDKIM turns a pattern into a POSIX extended regular expression anchored at both ends,
 * escaping only {@code .} and {@code +} ({@code dkimf_mkregexp()} in util.c), so other regular
 * expression characters such as {@code ?} or {@code [} leak through. Inkan follows the manual
 * instead: only {@code *} is special.
 */
public final class PatternDataSet implements DataSet {
  private final String spec;
  private final Source declaredAt;
  private final List<DataSetEntry> entries;
  private final Pattern[] patterns;

  PatternDataSet(String spec, Source declaredAt, KeyCase keyCase, List<DataSetEntry> entries) {
    this.spec = spec;
    this.declaredAt = declaredAt;
    this.entries = List.copyOf(entries);
    this.patterns = new Pattern[this.entries.size()];
    int flags = Pattern.DOTALL | (keyCase == KeyCase.INSENSITIVE ? Pattern.CASE_INSENSITIVE : 0);
    for (int i = 0; i < patterns.length; i++) {
      patterns[i] = Pattern.compile(toRegex(this.entries.get(i).key()), flags);
    }
  }

  static String toRegex(String wildcard) {
    StringBuilder sb = new StringBuilder(wildcard.length() + 8);
    int start = 0;
    for (int star = wildcard.indexOf('*'); star >= 0; star = wildcard.indexOf('*', start)) {
      if (star > start) {
        sb.append(Pattern.quote(wildcard.substring(start, star)));
      }
      sb.append(".*");
      start = star + 1;
    }
    if (start < wildcard.length()) {
      sb.append(Pattern.quote(wildcard.substring(start)));
    }
    return sb.toString();
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    for (int i = 0; i < patterns.length; i++) {
      if (patterns[i].matcher(key).matches()) {
        return Optional.of(entries.get(i));
      }
    }
    return Optional.empty();
  }

  @Override
  public List<DataSetEntry> lookupAll(String key) {
    List<DataSetEntry> all = new java.util.ArrayList<>(2);
    for (int i = 0; i < patterns.length; i++) {
      if (patterns[i].matcher(key).matches()) {
        all.add(entries.get(i));
      }
    }
    return all;
  }

  @Override
  public boolean patternKeys() {
    return true;
  }

  @Override
  public Optional<List<DataSetEntry>> localEntries() {
    return Optional.of(entries);
  }

  /** Every entry in file order; each key is a pattern. */
  public List<DataSetEntry> entries() {
    return entries;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public Source declaredAt() {
    return declaredAt;
  }

  @Override
  public String toString() {
    return "PatternDataSet[" + spec + ", " + entries.size() + " patterns]";
  }
}
