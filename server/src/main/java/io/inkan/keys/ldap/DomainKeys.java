package io.inkan.keys.ldap;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A domain's key entries as read at one time.
 *
 * @param entries the entries that may sign, ordered by DN
 * @param entryIds the entryUUIDs of every entry read (inactive and unusable ones too), so that a
 *     change notification naming only an entry (a rename, a deletion by UUID) finds its domain
 */
record DomainKeys(List<KeyEntry> entries, Set<UUID> entryIds) {
  static final DomainKeys NONE = new DomainKeys(List.of(), Set.of());

  DomainKeys {
    entries = List.copyOf(entries);
    entryIds = Set.copyOf(entryIds);
  }

  /** "No keys", remembered for the negative time-to-live. */
  boolean isEmpty() {
    return entries.isEmpty();
  }
}
