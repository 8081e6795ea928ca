package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DN;
import io.inkan.keys.DomainKeySource.DirectoryKey;
import java.time.Instant;
import java.util.Optional;

/**
 * A key entry that may sign: active, parsed, its algorithm fitting its key. Whether it signs at a
 * given moment depends on its validity window, checked at every use (a cached entry whose {@code
 * inkanDkimNotAfter} has passed stops signing at once).
 *
 * @param dn the entry's name, which orders a domain's keys
 * @param key what the signer gets
 * @param notBefore {@code inkanDkimNotBefore}: no signing before it
 * @param notAfter {@code inkanDkimNotAfter}: no signing from it on
 */
record KeyEntry(DN dn, DirectoryKey key, Optional<Instant> notBefore, Optional<Instant> notAfter) {

  /** Whether {@code now} is inside [notBefore, notAfter). */
  boolean signsAt(Instant now) {
    return notBefore.map(nb -> !now.isBefore(nb)).orElse(true)
        && notAfter.map(now::isBefore).orElse(true);
  }
}
