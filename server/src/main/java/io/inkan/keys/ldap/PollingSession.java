package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * For a directory that pushes nothing: every interval, one search for the key entries whose {@code
 * modifyTimestamp} is at or after the newest one seen so far (the directory's clock, whole
 * seconds), each of which makes the cache forget its domain. The newest entries are thus seen again
 * at every poll (their domains are re-read, cheaply) so that a second change within the same second
 * is not lost. Deletions leave no timestamp: a deleted key keeps signing until its cached answer
 * expires (mark it inactive first).
 */
final class PollingSession {
  private static final DateTimeFormatter GENERALIZED =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String base;
  private final Changes changes;
  private final int timeoutMillis;
  private Instant from; // the newest modifyTimestamp seen, or where the first poll starts

  PollingSession(String base, Changes changes, int timeoutMillis, Instant from) {
    this.base = base;
    this.changes = changes;
    this.timeoutMillis = timeoutMillis;
    this.from = from.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Where the next poll starts. */
  Instant from() {
    return from;
  }

  /**
   * One poll.
   *
   * @throws LDAPException when the directory cannot answer
   */
  void poll(LDAPConnection connection) throws LDAPException {
    Filter changed =
        Filter.createANDFilter(
            Filter.createEqualityFilter("objectClass", "DKIM"),
            Filter.createGreaterOrEqualFilter("modifyTimestamp", GENERALIZED.format(from)));
    SearchRequest request =
        new SearchRequest(
            base,
            SearchScope.SUB,
            DereferencePolicy.NEVER,
            0,
            Math.max(1, (timeoutMillis + 999) / 1000),
            false,
            changed,
            "modifyTimestamp",
            "entryUUID");
    request.setResponseTimeoutMillis(timeoutMillis);
    List<SearchResultEntry> found;
    try {
      found = connection.search(request).getSearchEntries();
    } catch (LDAPSearchException e) {
      if (e.getEntryCount() == 0 || !e.getResultCode().isConnectionUsable()) {
        throw e;
      }
      found = e.getSearchEntries(); // a size or time limit: which changes are missing is unknown
      changes.everything();
    }
    Instant newest = from;
    for (SearchResultEntry entry : found) {
      changes.entry(entry.getDN());
      changes.entry(uuid(entry));
      Date stamp = entry.getAttributeValueAsDate("modifyTimestamp");
      if (stamp != null && stamp.toInstant().isAfter(newest)) {
        newest = stamp.toInstant();
      }
    }
    from = newest.truncatedTo(ChronoUnit.SECONDS);
  }

  private static UUID uuid(SearchResultEntry entry) {
    String v = entry.getAttributeValue("entryUUID");
    try {
      return v == null ? null : UUID.fromString(v);
    } catch (IllegalArgumentException other) {
      return null;
    }
  }
}
