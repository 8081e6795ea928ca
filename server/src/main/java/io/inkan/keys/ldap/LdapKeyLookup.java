package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.Source;
import io.inkan.dataset.ldap.LdapConnections;
import io.inkan.keys.ldap.KeyEntryParser.Parsed;
import io.inkan.keys.ldap.KeyEntryParser.Unusable;
import io.inkan.keys.ldap.KeyEntryParser.Usable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A domain's key entries straight from the directory: one one-level search for {@code
 * (objectClass=DKIM)} below the domain's entry, on pooled failover connections. A domain without an
 * entry ({@code noSuchObject} and the other name errors) has no keys; a directory that cannot
 * answer makes the lookup fail as unavailable, never as "no keys". An entry that cannot sign is
 * left out and logged once per DN and reason.
 */
final class LdapKeyLookup implements KeyLookup {
  private static final Logger LOG = LoggerFactory.getLogger(LdapKeyLookup.class);
  private static final Filter KEY_ENTRIES = Filter.createEqualityFilter("objectClass", "DKIM");
  private static final int MAX_LOGGED = 10_000;

  private final KeyTree tree;
  private final LDAPConnectionPool pool;
  private final LdapConnections connections;
  private final KeyEntryParser parser;
  private final Source declaredAt;
  private final AtomicBoolean failing = new AtomicBoolean();
  private final Map<DN, String> reported = new ConcurrentHashMap<>();

  LdapKeyLookup(
      KeyTree tree,
      LDAPConnectionPool pool,
      LdapConnections connections,
      KeyEntryParser parser,
      Source declaredAt) {
    this.tree = tree;
    this.pool = pool;
    this.connections = connections;
    this.parser = parser;
    this.declaredAt = declaredAt;
  }

  /** Marks the directory as not answering (SoftStart), so that its return is logged. */
  void startsFailing() {
    failing.set(true);
  }

  @Override
  public DomainKeys lookup(String domain) {
    int timeout = connections.timeoutMillis();
    SearchRequest request =
        new SearchRequest(
            tree.domainDn(domain).toString(),
            SearchScope.ONE,
            DereferencePolicy.NEVER,
            0,
            Math.max(1, (timeout + 999) / 1000),
            false,
            KEY_ENTRIES,
            KeyEntryParser.ATTRIBUTES);
    request.setResponseTimeoutMillis(timeout);
    List<SearchResultEntry> found;
    try {
      found = search(request);
    } catch (LDAPSearchException e) {
      if (baseMissing(e)) {
        throw unavailable(domain, e, "the key tree's base " + tree.base() + " does not exist");
      } else if (LdapConnections.nameError(e.getResultCode())) {
        found = List.of();
      } else if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
        LOG.warn(
            "{}: the directory limits the keys of {}; using the first ones", declaredAt, domain);
        found = e.getSearchEntries();
      } else {
        throw unavailable(domain, e, LdapConnections.describe(e));
      }
    }
    if (failing.compareAndSet(true, false)) {
      LOG.info("{}: LDAP key source on {} answers again", declaredAt, connections.servers());
    }
    return keys(domain, found);
  }

  private DomainKeys keys(String domain, List<SearchResultEntry> found) {
    List<KeyEntry> entries = new ArrayList<>(found.size());
    Set<UUID> ids = new HashSet<>();
    for (SearchResultEntry e : found) {
      DN dn;
      try {
        dn = e.getParsedDN();
      } catch (LDAPException notADn) {
        continue; // a server never sends one
      }
      String uuid = e.getAttributeValue("entryUUID");
      if (uuid != null) {
        try {
          ids.add(UUID.fromString(uuid));
        } catch (IllegalArgumentException notAUuid) {
          // other servers' entryUUID forms only cost the rename notification
        }
      }
      Parsed parsed = parser.parse(e, dn, domain);
      if (parsed instanceof Usable usable) {
        entries.add(usable.entry());
        reported.remove(dn);
      } else if (parsed instanceof Unusable unusable) {
        report(dn, unusable.reason());
      }
    }
    entries.sort(Comparator.comparing(KeyEntry::dn));
    return new DomainKeys(entries, ids);
  }

  private void report(DN dn, String reason) {
    if (reason.equals(reported.get(dn))) {
      return;
    }
    if (reported.size() >= MAX_LOGGED) {
      reported.clear();
    }
    reported.put(dn, reason);
    LOG.error("{}: LDAP key entry {} is not used: {}", declaredAt, dn, reason);
  }

  /**
   * Whether the server says that not even the base exists (its matched DN, RFC 4511 §4.1.9, lies
   * above the base): a configuration error that must not read as "no keys" for every domain.
   */
  private boolean baseMissing(LDAPException e) {
    String matched = e.getMatchedDN();
    if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT || matched == null || matched.isEmpty()) {
      return false;
    }
    try {
      return !new DN(matched).isDescendantOf(tree.base(), true);
    } catch (LDAPException notADn) {
      return false;
    }
  }

  /**
   * One search; a connection lost while it ran (the server went down mid-search, which the pool's
   * own retry does not always cover) is tried once more on another connection, so the failover
   * set's next server answers within the same lookup.
   */
  private List<SearchResultEntry> search(SearchRequest request) throws LDAPSearchException {
    try {
      return pool.search(request).getSearchEntries();
    } catch (LDAPSearchException e) {
      if (e.getResultCode().isConnectionUsable()) {
        throw e;
      }
      return pool.search(request).getSearchEntries();
    }
  }

  private DataSetUnavailableException unavailable(String domain, LDAPException e, String why) {
    String reason =
        "LDAP search for the keys of "
            + domain
            + " on "
            + connections.servers()
            + " failed: "
            + why;
    if (failing.compareAndSet(false, true)) {
      LOG.warn("{}: {}", declaredAt, reason);
    }
    return new DataSetUnavailableException(declaredAt + ": " + reason, e);
  }
}
