package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.EntryChangeNotificationControl;
import com.unboundid.ldap.sdk.controls.PersistentSearchChangeType;
import com.unboundid.ldap.sdk.controls.PersistentSearchRequestControl;
import com.unboundid.ldap.sdk.extensions.WhoAmIExtendedRequest;

/**
 * A persistent search (draft-ietf-ldapext-psearch-03; 389 Directory Server, OpenDJ) for changes
 * only, with entry change notifications, over the key entries below the base. The server confirms
 * nothing, so the session counts as in place once the server has answered a request sent after it
 * (Who am I?, RFC 4532), and then the cache forgets everything. Every entry it sends makes the
 * cache forget that entry's domain, and for a rename the previous DN's domain as well.
 */
final class PersistentSearchSession extends PushSession {
  private static final long serialVersionUID = 1L;

  /** The Persistent Search control's OID, as a root DSE lists it. */
  static final String OID = PersistentSearchRequestControl.PERSISTENT_SEARCH_REQUEST_OID;

  private final String base;
  private final transient Changes changes;

  PersistentSearchSession(String base, Changes changes) {
    this.base = base;
    this.changes = changes;
  }

  @Override
  SearchRequest request() {
    SearchRequest request =
        new SearchRequest(
            this,
            base,
            SearchScope.SUB,
            DereferencePolicy.NEVER,
            0,
            0,
            false,
            Filter.createEqualityFilter("objectClass", "DKIM"),
            "1.1");
    request.addControl(
        new PersistentSearchRequestControl(
            PersistentSearchChangeType.allChangeTypes(), true, true, true));
    return request;
  }

  @Override
  void sent(LDAPConnection connection) throws LDAPException {
    connection.processExtendedOperation(new WhoAmIExtendedRequest());
    changes.everything();
    establish();
  }

  @Override
  public void searchEntryReturned(SearchResultEntry entry) {
    changes.entry(entry.getDN());
    try {
      EntryChangeNotificationControl ecn = EntryChangeNotificationControl.get(entry);
      if (ecn != null && ecn.getPreviousDN() != null) {
        changes.entry(ecn.getPreviousDN());
      }
    } catch (LDAPException malformed) {
      // the entry's own domain is forgotten already
    }
  }
}
