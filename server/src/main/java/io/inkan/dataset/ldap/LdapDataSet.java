package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.inkan.dataset.CachedDataSet;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Reachable;
import io.inkan.dataset.Source;
import io.inkan.dataset.Walkable;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenDKIM's {@code ldap:}, {@code ldaps:} and {@code ldapi:} data sets (opendkim.conf(5), DATA
 * SETS; opendkim-db.c): one or more space-separated RFC 4516 URLs whose servers form a failover
 * set, searched with the base, attributes, scope and filter of the first URL after {@code $d} and
 * {@code $D} are replaced by the key ({@link LdapQueryTemplate}). The first entry found answers;
 * its value is the first value of each requested attribute in order, joined with colons, an absent
 * attribute giving an empty field; with no attributes requested an entry is a key without value.
 *
 * <p>A search that names an entry which does not exist ({@code noSuchObject} and the other name
 * errors, as OpenDKIM's {@code LDAP_NAME_ERROR}) is a miss; a server that cannot be reached, times
 * out or refuses makes the lookup fail with {@link DataSetUnavailableException}, never a miss.
 *
 * <p>Keys are compared by the directory's matching rules (the DKIM attributes match case-exactly,
 * {@code dc} and {@code cn} ignore case); like OpenDKIM, the set does not fold case itself.
 */
public final class LdapDataSet implements Walkable, Reachable {
  private static final Logger LOG = LoggerFactory.getLogger(LdapDataSet.class);
  private static final int MAX_CONNECTIONS = 4;

  private final String spec;
  private final Source declaredAt;
  private final KeyCase keyCase;
  private final LdapUrl first;
  private final LdapQueryTemplate base;
  private final LdapQueryTemplate filter;
  private final String servers;
  private final LDAPConnectionPool pool;
  private final int timeoutMillis;
  private final AtomicBoolean failing = new AtomicBoolean();

  private LdapDataSet(
      String spec,
      Source declaredAt,
      KeyCase keyCase,
      LdapUrl first,
      String servers,
      LDAPConnectionPool pool,
      int timeoutMillis) {
    this.spec = spec;
    this.declaredAt = declaredAt;
    this.keyCase = keyCase;
    this.first = first;
    this.base = new LdapQueryTemplate(first.base(), LdapQueryTemplate.Context.DN);
    this.filter = new LdapQueryTemplate(first.filter(), LdapQueryTemplate.Context.FILTER);
    this.servers = servers;
    this.pool = pool;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Opens the set {@code spec} (the whole specification, {@code ldap://...} included), connecting
   * and binding once unless {@code options.softStart()}; the answers are cached as the options say
   * (see {@link CachedDataSet}).
   *
   * @throws DataSetException when a URL does not parse, uses {@code ldapi:}, the CA file is
   *     unusable, or (without SoftStart) no server can be reached or the bind fails
   */
  public static DataSet open(
      String spec, Source declaredAt, KeyCase keyCase, DataSetOptions options)
      throws DataSetException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(declaredAt, "declaredAt");
    Objects.requireNonNull(keyCase, "keyCase");
    Objects.requireNonNull(options, "options");
    List<LdapUrl> urls = urls(spec, declaredAt);
    LdapConnections connections = LdapConnections.create(spec, declaredAt, urls, options.ldap());
    String servers = connections.servers();
    LDAPConnectionPool pool;
    try {
      pool = connections.pool("inkan-ldap " + declaredAt, MAX_CONNECTIONS, !options.softStart());
    } catch (LDAPException e) {
      throw new DataSetException(
          declaredAt, null, spec, "cannot connect and bind to " + servers + ": " + describe(e));
    }
    int timeoutMillis = connections.timeoutMillis();
    LdapDataSet uncached =
        new LdapDataSet(spec, declaredAt, keyCase, urls.get(0), servers, pool, timeoutMillis);
    if (pool.getCurrentAvailableConnections() == 0) {
      uncached.failing.set(true);
      LOG.warn(
          "{}: LDAP data set on {} is not reachable yet; SoftStart: lookups fail as unavailable"
              + " until it is",
          declaredAt,
          servers);
    }
    if (options.ldap().disableCache()
        || (options.cacheTtl().isZero() && options.negativeCacheTtl().isZero())) {
      return uncached;
    }
    return new CachedDataSet(
        uncached,
        keyCase,
        options.cacheTtl(),
        options.negativeCacheTtl(),
        options.cacheMaxEntries(),
        options.metrics(),
        "ldap");
  }

  private static List<LdapUrl> urls(String spec, Source at) throws DataSetException {
    List<LdapUrl> urls = LdapConnections.parseUrls(spec, at);
    LdapUrl first = urls.get(0);
    for (LdapUrl url : urls.subList(1, urls.size())) {
      if (!url.base().equals(first.base())
          || !url.attributes().equals(first.attributes())
          || url.scope() != first.scope()
          || !url.filter().equals(first.filter())) {
        LOG.warn(
            "{}: {} differs from the first URL in base, attributes, scope or filter; as in"
                + " OpenDKIM only its server is used, with the first URL's search",
            at,
            url.server());
      }
    }
    LdapQueryTemplate base = new LdapQueryTemplate(first.base(), LdapQueryTemplate.Context.DN);
    LdapQueryTemplate filter =
        new LdapQueryTemplate(first.filter(), LdapQueryTemplate.Context.FILTER);
    if (!DN.isValidDN(base.expand("example.com"))) {
      throw new DataSetException(at, null, spec, "\"" + first.base() + "\" is not a DN");
    }
    try {
      Filter.create(filter.expand("example.com"));
    } catch (LDAPException e) {
      throw new DataSetException(
          at, null, spec, "\"" + first.filter() + "\" is not a filter: " + e.getMessage());
    }
    return urls;
  }

  /** A result code and the server's or client's reason; never a bind password. */
  static String describe(LDAPException e) {
    return LdapConnections.describe(e);
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    Objects.requireNonNull(key, "key");
    String dn = base.expand(key);
    Filter f;
    try {
      f = Filter.create(filter.expand(key));
    } catch (LDAPException e) {
      return Optional.empty(); // escaping keeps a valid template valid; never reached
    }
    if (!DN.isValidDN(dn)) {
      return Optional.empty(); // a server would answer invalidDNSyntax, a name error
    }
    List<String> attributes = first.attributes();
    String[] requested =
        attributes.isEmpty() ? new String[] {"1.1"} : attributes.toArray(String[]::new);
    SearchRequest request =
        new SearchRequest(
            dn,
            first.scope(),
            DereferencePolicy.NEVER,
            1,
            Math.max(1, (timeoutMillis + 999) / 1000),
            false,
            f,
            requested);
    request.setResponseTimeoutMillis(timeoutMillis);
    List<SearchResultEntry> entries;
    try {
      entries = search(request);
    } catch (LDAPSearchException e) {
      if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED && e.getEntryCount() > 0) {
        entries = e.getSearchEntries();
      } else if (nameError(e.getResultCode())) {
        entries = List.of();
      } else {
        throw unavailable(key, e);
      }
    }
    recovered();
    if (entries.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new DataSetEntry(key, value(entries.get(0), attributes), declaredAt));
  }

  /**
   * Searches, retrying on another connection while the failure is a dead connection (a server that
   * went away leaves every pooled connection to it dead, not just one), at most once per pooled
   * connection and once more for a new one.
   */
  private List<SearchResultEntry> search(SearchRequest request) throws LDAPSearchException {
    for (int attempt = 0; ; attempt++) {
      try {
        return pool.search(request).getSearchEntries();
      } catch (LDAPSearchException e) {
        ResultCode rc = e.getResultCode();
        boolean dead = rc == ResultCode.SERVER_DOWN || rc == ResultCode.CONNECT_ERROR;
        if (!dead || attempt >= MAX_CONNECTIONS) {
          throw e; // a timeout is not retried: LDAPTimeout bounds the whole lookup
        }
      }
    }
  }

  private static boolean nameError(ResultCode rc) {
    return LdapConnections.nameError(rc);
  }

  private static String value(SearchResultEntry entry, List<String> attributes) {
    if (attributes.isEmpty()) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < attributes.size(); i++) {
      if (i > 0) {
        sb.append(':');
      }
      String v = entry.getAttributeValue(attributes.get(i));
      if (v != null) {
        sb.append(v);
      }
    }
    return sb.toString();
  }

  private DataSetUnavailableException unavailable(String key, LDAPException e) {
    String reason = "LDAP search for \"" + key + "\" on " + servers + " failed: " + describe(e);
    if (failing.compareAndSet(false, true)) {
      LOG.warn("{}: {}", declaredAt, reason);
    }
    return new DataSetUnavailableException(
        declaredAt + ": data set \"" + spec + "\": " + reason, e);
  }

  private void recovered() {
    if (failing.compareAndSet(true, false)) {
      LOG.info("{}: LDAP data set on {} answers again", declaredAt, servers);
    }
  }

  /**
   * Every entry, for listing tools: the URL's search with {@code $d} left open ({@link
   * LdapListing}); a search base that does not exist lists nothing.
   *
   * @throws DataSetUnavailableException when the URL cannot be listed or the search fails
   */
  @Override
  public List<DataSetEntry> entries() {
    try {
      return LdapListing.of(first).run(pool, first.attributes(), declaredAt, timeoutMillis);
    } catch (IllegalArgumentException e) {
      throw new DataSetUnavailableException(
          declaredAt + ": data set \"" + spec + "\" cannot be listed: " + e.getMessage(), null);
    } catch (LDAPSearchException e) {
      if (LdapListing.empty(e)) {
        return List.of();
      }
      throw unavailable("(all keys)", e);
    }
  }

  /** False from a failed search (or a SoftStart without a server) until one succeeds. */
  @Override
  public boolean reachable() {
    return !failing.get();
  }

  /** How this set compares keys (the directory decides; kept for callers that ask). */
  public KeyCase keyCase() {
    return keyCase;
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public Source declaredAt() {
    return declaredAt;
  }

  /** Closes the connection pool. */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "LdapDataSet[" + servers + ", " + first.base() + "?" + first.filter() + "]";
  }
}
