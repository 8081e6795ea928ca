package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** Where change notifications go: the cache forgets the domain of every changed key entry. */
final class Changes {
  private final KeyTree tree;
  private final KeyLookup cache;
  private final AtomicLong notes = new AtomicLong();
  private final AtomicLong listed = new AtomicLong();

  Changes(KeyTree tree, KeyLookup cache) {
    this.tree = tree;
    this.cache = cache;
  }

  /** The key entry named {@code dn} was added, modified, renamed (to or from it) or deleted. */
  void entry(String dn) {
    notes.incrementAndGet();
    if (dn == null || dn.isEmpty()) {
      return;
    }
    try {
      tree.domainOfKey(new DN(dn)).ifPresent(cache::forget);
    } catch (LDAPException notADn) {
      // a server never sends one
    }
  }

  /** The entry with this entryUUID changed (its old domain, when it moved). */
  void entry(UUID entryId) {
    if (entryId != null) {
      cache.forget(entryId);
    }
  }

  /** An entry of a refresh stage was read: the content as it is, not a change. */
  void listed() {
    listed.incrementAndGet();
  }

  /** Changes may have been missed. */
  void everything() {
    cache.forgetAll();
  }

  /** How many entries refresh stages listed (for tests). */
  long listedCount() {
    return listed.get();
  }

  /** How many entries were notified (for tests). */
  long count() {
    return notes.get();
  }
}
