package io.inkan.keys.ldap;

import java.util.UUID;

/**
 * Reads a domain's key entries. Caches are decorators of it; the directory's change notifications
 * reach them through the {@code forget} methods, which a lookup without memory ignores.
 */
interface KeyLookup {

  /**
   * The key entries of a domain (normalized, see {@link KeyTree#normalize}).
   *
   * @throws io.inkan.dataset.DataSetUnavailableException when the directory cannot answer
   */
  DomainKeys lookup(String domain);

  /** A key entry of {@code domain} changed. */
  default void forget(String domain) {}

  /** The key entry with this entryUUID changed, wherever it is now. */
  default void forget(UUID entryId) {}

  /** Anything may have changed. */
  default void forgetAll() {}
}
