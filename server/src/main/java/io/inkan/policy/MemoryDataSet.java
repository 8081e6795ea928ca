package io.inkan.policy;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.Source;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A small in-memory data set with keys compared ignoring case, standing in for the KeyTable and
 * SigningTable that the single-key form ({@code Domain}, {@code Selector}, {@code KeyFile})
 * implies.
 */
record MemoryDataSet(String spec, Source declaredAt, List<DataSetEntry> entries)
    implements DataSet {
  MemoryDataSet {
    entries = List.copyOf(entries);
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return entries.stream().filter(e -> e.key().toLowerCase(Locale.ROOT).equals(k)).findFirst();
  }

  @Override
  public Optional<List<DataSetEntry>> localEntries() {
    return Optional.of(entries);
  }
}
