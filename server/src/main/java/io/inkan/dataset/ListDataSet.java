package io.inkan.dataset;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code file:} or {@code csl:} data set held in memory: exact keys, first entry in order wins
 * (OpenDKIM's {@code dkimf_db_get()} walks the list and stops at the first equal key).
 */
public final class ListDataSet implements DataSet {
  private final String spec;
  private final Source declaredAt;
  private final KeyCase keyCase;
  private final List<DataSetEntry> entries;
  private final Map<String, DataSetEntry> byKey;

  ListDataSet(String spec, Source declaredAt, KeyCase keyCase, List<DataSetEntry> entries) {
    this.spec = spec;
    this.declaredAt = declaredAt;
    this.keyCase = keyCase;
    this.entries = List.copyOf(entries);
    this.byKey = new HashMap<>(entries.size() * 2);
    for (DataSetEntry e : this.entries) {
      byKey.putIfAbsent(keyCase.fold(e.key()), e);
    }
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    return Optional.ofNullable(byKey.get(keyCase.fold(key)));
  }

  @Override
  public Optional<List<DataSetEntry>> localEntries() {
    return Optional.of(entries);
  }

  /** Every entry in file (or list) order, duplicates included. */
  public List<DataSetEntry> entries() {
    return entries;
  }

  /** How keys compare. */
  public KeyCase keyCase() {
    return keyCase;
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
    return "ListDataSet[" + spec + ", " + entries.size() + " entries]";
  }
}
