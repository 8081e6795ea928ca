package io.inkan.dataset;

import java.util.Objects;

/**
 * Host lists over any data set: a walkable set ({@code file:}, {@code csl:}, a path, a small {@code
 * db:}) is read once into a {@link HostList}; any other ({@code refile:}, {@code dsn:}, {@code
 * ldap:}, a large {@code db:}) is asked key by key as OpenDKIM asks every set ({@link
 * LookupHostList}). Both give the same answers for the same entries, except where {@link HostList}
 * documents that it compares addresses as numbers.
 */
public final class HostLists {
  private HostLists() {}

  /**
   * The host list over {@code set}'s keys (values are ignored).
   *
   * @throws DataSetException naming the data set line of a walkable set's entry that does not parse
   */
  public static HostMatcher of(DataSet set) throws DataSetException {
    Objects.requireNonNull(set, "set");
    if (!set.patternKeys() && set.localEntries().isPresent()) {
      return HostList.of(set);
    }
    return new LookupHostList(set);
  }
}
