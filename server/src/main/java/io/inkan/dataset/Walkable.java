package io.inkan.dataset;

import java.util.List;
import java.util.Optional;

/**
 * A remote data set that can list all its entries on request (an SQL table, an LDAP subtree), for
 * tools such as {@code inkan genzone} and {@code inkan testkey -x}. Unlike {@link
 * DataSet#localEntries()}, which the daemon calls on every load, a walk is an explicit, possibly
 * large query that only an operator asks for.
 */
public interface Walkable extends DataSet {

  /**
   * Every entry, keys with the values a lookup of that key would answer.
   *
   * @throws DataSetUnavailableException when the set cannot answer now or cannot be listed (the
   *     message says why)
   */
  List<DataSetEntry> entries();

  /**
   * Every entry of {@code set}: its local entries, else a walk when it (or the set below a {@link
   * CachedDataSet}) is {@link Walkable}; empty when it can only be asked key by key.
   *
   * @throws DataSetUnavailableException when a walk fails
   */
  static Optional<List<DataSetEntry>> entriesOf(DataSet set) {
    Optional<List<DataSetEntry>> local = set.localEntries();
    if (local.isPresent()) {
      return local;
    }
    if (set instanceof Walkable walkable) {
      return Optional.of(walkable.entries());
    }
    if (set instanceof CachedDataSet cached) {
      return entriesOf(cached.inner());
    }
    if (set instanceof MeteredDataSet metered) {
      return entriesOf(metered.inner());
    }
    return Optional.empty();
  }
}
