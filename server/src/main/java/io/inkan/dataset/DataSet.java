package io.inkan.dataset;

import java.util.List;
import java.util.Optional;

/**
 * One OpenDKIM data set (opendkim(8), DATA SETS): keys, each with an optional value of
 * colon-separated entries. Every backend answers through this interface, so KeyTable, SigningTable,
 * InternalHosts, ExternalIgnoreList, PeerList and MacroList can each use any of them.
 *
 * <p>A lookup returns the first entry that matches: for {@code file:} and {@code csl:} sets the
 * first entry in file order whose key equals the query (ignoring ASCII case unless the set was
 * parsed with {@link KeyCase#SENSITIVE}); for {@code refile:} sets the first pattern in file order
 * that matches the whole query.
 */
public interface DataSet extends AutoCloseable {

  /**
   * The first entry matching {@code key}, if any. Remote sets block for at most their configured
   * timeout; values of a remote entry are its columns or attributes joined with colons.
   *
   * @throws DataSetUnavailableException when a remote set cannot answer now (not a miss)
   */
  Optional<DataSetEntry> lookup(String key);

  /**
   * The values of the first entry matching {@code key}, split at colons; an empty list when that
   * entry has no value, empty when nothing matches.
   */
  default Optional<List<String>> get(String key) {
    return lookup(key).map(DataSetEntry::values);
  }

  /**
   * Every entry matching {@code key}, in order: for pattern sets all matching patterns (what
   * MultipleSignatures needs), for others at most the first.
   */
  default List<DataSetEntry> lookupAll(String key) {
    return lookup(key).stream().toList();
  }

  /** Whether keys are wildcard patterns ({@code refile:}) rather than literal keys. */
  default boolean patternKeys() {
    return false;
  }

  /**
   * Every entry, when the set is local and small enough to walk (files and lists), so tables can be
   * validated when loaded; empty for remote sets (SQL, LDAP), which are checked per lookup.
   */
  default Optional<List<DataSetEntry>> localEntries() {
    return Optional.empty();
  }

  /** Whether any entry matches {@code key}. */
  default boolean contains(String key) {
    return lookup(key).isPresent();
  }

  /** The specification this set was parsed from, e.g. {@code refile:/etc/inkan/signing}. */
  String spec();

  /** The configuration file and line that declared this set. */
  Source declaredAt();

  /**
   * Forgets cached answers of a remote set (on reload, or when a change is pushed); local sets hold
   * no cache.
   */
  default void dropCache() {}

  /** Releases connections and files; local sets hold none. */
  @Override
  default void close() {}
}
