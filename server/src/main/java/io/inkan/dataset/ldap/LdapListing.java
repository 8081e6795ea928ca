package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.Source;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How an {@code ldap:} data set lists all its entries: its URL's search with the key left open. A
 * filter component {@code (attr=$d)} becomes {@code (attr=*)} and each entry's {@code attr} values
 * are its keys; a base whose first RDN is {@code attr=$d} (with scope base) becomes a one-level
 * search of the parent, each entry's RDN value its key. An entry holding none of the requested
 * attributes is no row and is left out. Other uses of {@code $d} ({@code $D}, substrings such as
 * {@code (mail=*@$d)}, negations) cannot be turned into a listing.
 *
 * @param base the search base
 * @param scope the search scope
 * @param filter the filter with the key components made presence filters
 * @param keyAttribute the attribute whose values are the keys
 * @param keyInRdn whether the key is the value of the entry's RDN rather than of an attribute
 */
record LdapListing(
    String base, SearchScope scope, Filter filter, String keyAttribute, boolean keyInRdn) {

  /** Stands for the key while the templates are parsed; no real filter or DN holds it. */
  private static final String HOLE = "inkanListingKey0";

  /** How long a listing may take at least, whatever LDAPTimeout says (it bounds lookups). */
  private static final int MIN_TIMEOUT_MILLIS = 60_000;

  /**
   * The listing search for {@code url}'s base and filter templates.
   *
   * @throws IllegalArgumentException saying why the URL's search cannot list every key
   */
  static LdapListing of(LdapUrl url) {
    if (url.base().contains("$D") || url.filter().contains("$D")) {
      throw new IllegalArgumentException(
          "the URL uses $D (the key as dc= labels), which cannot be listed");
    }
    Filter filter;
    String[] filterKey = new String[1];
    try {
      filter = open(Filter.create(url.filter().replace("$d", HOLE)), filterKey);
    } catch (LDAPException e) {
      throw new IllegalArgumentException("\"" + url.filter() + "\" is not a filter");
    }
    if (!url.base().contains("$d")) {
      if (filterKey[0] == null) {
        throw new IllegalArgumentException(
            "the URL's filter has no (attribute=$d), so no attribute holds the keys");
      }
      return new LdapListing(url.base(), url.scope(), filter, filterKey[0], false);
    }
    try {
      DN dn = new DN(url.base().replace("$d", HOLE));
      RDN first = dn.getRDN();
      DN parent = dn.getParent();
      if (url.scope() != SearchScope.BASE
          || first == null
          || parent == null
          || first.getAttributeNames().length != 1
          || !first.getAttributeValues()[0].equals(HOLE)
          || parent.toString().contains(HOLE)) {
        throw new IllegalArgumentException(
            "$d can be listed in the base only as its first RDN (attr=$d,...) with scope base");
      }
      return new LdapListing(
          parent.toString(), SearchScope.ONE, filter, first.getAttributeNames()[0], true);
    } catch (LDAPException e) {
      throw new IllegalArgumentException("\"" + url.base() + "\" is not a DN");
    }
  }

  /** The filter with every {@code (attr=HOLE)} made {@code (attr=*)}; the first attr is noted. */
  private static Filter open(Filter f, String[] keyAttribute) {
    switch (f.getFilterType()) {
      case Filter.FILTER_TYPE_AND, Filter.FILTER_TYPE_OR -> {
        List<Filter> parts = new ArrayList<>();
        for (Filter c : f.getComponents()) {
          parts.add(open(c, keyAttribute));
        }
        return f.getFilterType() == Filter.FILTER_TYPE_AND
            ? Filter.createANDFilter(parts)
            : Filter.createORFilter(parts);
      }
      case Filter.FILTER_TYPE_EQUALITY -> {
        if (HOLE.equals(f.getAssertionValue())) {
          if (keyAttribute[0] == null) {
            keyAttribute[0] = f.getAttributeName();
          }
          return Filter.createPresenceFilter(f.getAttributeName());
        }
        return f;
      }
      default -> {
        if (f.toString().contains(HOLE)) {
          throw new IllegalArgumentException(
              "$d is used in " + f.toString().replace(HOLE, "$d") + ", which cannot be listed");
        }
        return f;
      }
    }
  }

  /**
   * Runs the listing: one entry per key value found, sorted by key, each valued as a lookup of that
   * key would be ({@code attributes}' first values joined with colons).
   *
   * @throws LDAPSearchException when the search fails or the server's size limit cuts it short
   */
  List<DataSetEntry> run(
      LDAPInterface ldap, List<String> attributes, Source declaredAt, int timeoutMillis)
      throws LDAPSearchException {
    Set<String> requested = new LinkedHashSet<>(attributes);
    requested.add(keyAttribute);
    int timeout = Math.max(MIN_TIMEOUT_MILLIS, timeoutMillis);
    SearchRequest request =
        new SearchRequest(
            base,
            scope,
            DereferencePolicy.NEVER,
            0,
            timeout / 1000,
            false,
            filter,
            requested.toArray(String[]::new));
    request.setResponseTimeoutMillis(timeout);
    List<DataSetEntry> out = new ArrayList<>();
    for (SearchResultEntry e : ldap.search(request).getSearchEntries()) {
      if (!attributes.isEmpty() && attributes.stream().noneMatch(e::hasAttribute)) {
        continue; // matches the key filter but holds none of the row's attributes: no row
      }
      String value = value(e, attributes);
      for (String key : keys(e)) {
        out.add(new DataSetEntry(key, value, declaredAt));
      }
    }
    out.sort(Comparator.comparing(DataSetEntry::key));
    return List.copyOf(out);
  }

  private List<String> keys(SearchResultEntry e) {
    if (!keyInRdn) {
      String[] values = e.getAttributeValues(keyAttribute);
      return values == null ? List.of() : List.of(values);
    }
    try {
      RDN rdn = e.getParsedDN().getRDN();
      String[] names = rdn.getAttributeNames();
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(keyAttribute)) {
          return List.of(rdn.getAttributeValues()[i]);
        }
      }
    } catch (LDAPException malformed) {
      // a server's DN that does not parse names no key
    }
    return List.of();
  }

  /** As a lookup answers: the first value of each attribute, joined with colons; none: null. */
  private static String value(SearchResultEntry entry, List<String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < attributes.size(); i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(Optional.ofNullable(entry.getAttributeValue(attributes.get(i))).orElse(""));
    }
    return sb.toString();
  }

  /** Whether a failed listing is a search base that does not exist (an empty table). */
  static boolean empty(LDAPSearchException e) {
    return LdapConnections.nameError(e.getResultCode())
        && e.getResultCode() != ResultCode.INVALID_DN_SYNTAX;
  }
}
