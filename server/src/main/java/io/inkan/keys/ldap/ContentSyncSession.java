package io.inkan.keys.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.IntermediateResponse;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RootDSE;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoIntermediateResponse;
import com.unboundid.ldap.sdk.controls.ContentSyncInfoType;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestControl;
import com.unboundid.ldap.sdk.controls.ContentSyncRequestMode;
import com.unboundid.ldap.sdk.controls.ContentSyncStateControl;
import java.util.UUID;

/**
 * RFC 4533 content synchronization in refreshAndPersist mode (slapd's syncprov overlay) over the
 * key entries below the base, asking for no attributes. The refresh stage (§3.4) is read and
 * dropped: its end (a Sync Info message with refreshDone, §2.5) makes the cache forget everything,
 * which covers any change before it; every entry the persist stage (§3.5) sends after that, with
 * its Sync State (add, modify, delete) and entryUUID, makes the cache forget that entry's domain.
 *
 * <p>Without a cookie the refresh stage would list every key entry once per session, and slapd's
 * size limit (500 by default) would end it on a large tree. Where the naming context holding the
 * base carries OpenLDAP's {@code contextCSN}, the session starts with the cookie a consumer that is
 * up to date would send ({@code rid=000,csn=CSN[;CSN...]}, slapd-syncprov(5)), so the refresh stage
 * lists only what changed since that moment: usually nothing.
 */
final class ContentSyncSession extends PushSession {
  private static final long serialVersionUID = 1L;

  /** The Sync Request control's OID, as a root DSE lists it. */
  static final String OID = ContentSyncRequestControl.SYNC_REQUEST_OID;

  private final String base;
  private final transient Changes changes;
  private final transient ASN1OctetString cookie;

  /**
   * @param cookie where to start ({@link #currentCookie}), or null for the whole content
   */
  ContentSyncSession(String base, Changes changes, ASN1OctetString cookie) {
    this.base = base;
    this.changes = changes;
    this.cookie = cookie;
  }

  /**
   * The cookie of a consumer that is up to date now: OpenLDAP's {@code contextCSN} values of the
   * naming context holding {@code base}; null when the server has none (or hides it).
   */
  static ASN1OctetString currentCookie(LDAPConnection connection, RootDSE root, DN base) {
    String[] contexts = root == null ? null : root.getNamingContextDNs();
    if (contexts == null) {
      return null;
    }
    try {
      for (String context : contexts) {
        if (!context.isEmpty() && base.isDescendantOf(context, true)) {
          Entry e = connection.getEntry(context, "contextCSN");
          String[] csns = e == null ? null : e.getAttributeValues("contextCSN");
          return csns == null ? null : new ASN1OctetString("rid=000,csn=" + String.join(";", csns));
        }
      }
    } catch (LDAPException e) {
      return null;
    }
    return null;
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
        new ContentSyncRequestControl(
            true, ContentSyncRequestMode.REFRESH_AND_PERSIST, cookie, false));
    return request;
  }

  @Override
  public void searchEntryReturned(SearchResultEntry entry) {
    if (!isEstablished()) {
      changes.listed(); // the refresh stage: the content as it is, not a change
      return;
    }
    changes.entry(entry.getDN());
    changes.entry(uuid(entry));
  }

  private static UUID uuid(SearchResultEntry entry) {
    try {
      ContentSyncStateControl state = ContentSyncStateControl.get(entry);
      return state == null ? null : state.getEntryUUID();
    } catch (LDAPException malformed) {
      return null;
    }
  }

  @Override
  public void intermediateResponseReturned(IntermediateResponse response) {
    if (!ContentSyncInfoIntermediateResponse.SYNC_INFO_OID.equals(response.getOID())) {
      return;
    }
    ContentSyncInfoIntermediateResponse info;
    try {
      info = ContentSyncInfoIntermediateResponse.decode(response);
    } catch (LDAPException malformed) {
      return;
    }
    ContentSyncInfoType type = info.getType();
    if (!isEstablished()) {
      if ((type == ContentSyncInfoType.REFRESH_DELETE
              || type == ContentSyncInfoType.REFRESH_PRESENT)
          && info.refreshDone()) {
        changes.everything();
        establish();
      }
      return;
    }
    if (type == ContentSyncInfoType.SYNC_ID_SET && info.getEntryUUIDs() != null) {
      info.getEntryUUIDs().forEach(changes::entry);
    }
  }
}
