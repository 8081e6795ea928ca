package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.Source;
import io.inkan.dataset.ldap.LdapConnections;
import io.inkan.dataset.ldap.LdapUrl;
import io.inkan.keys.DomainKeySource;
import io.inkan.keys.PrivateKeyFiles;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inkan's native LDAP key mode (issue 4, ldap-schema/README.md): the keys of a sender domain are
 * the entries with object class {@code DKIM} one level below the domain's entry in a key tree
 * ({@code dc=example,dc=com,ou=dkim,dc=example,dc=com} for {@code example.com} below {@code
 * ou=dkim,dc=example,dc=com}). Every entry that is active ({@code inkanDkimActive} not {@code
 * FALSE}), parses, and is inside its validity window now signs, in DN order, with its options.
 *
 * <p>Domains are read when first asked for (no walk of the directory at start), remembered for the
 * cache time-to-live ("no keys" for the negative one), and forgotten as soon as the directory says
 * one of their entries changed ({@link ChangeFeed}). Servers are a failover set; an unreachable
 * directory is served from memory until each answer expires, then fails as unavailable.
 */
public final class LdapKeySource implements DomainKeySource {
  private static final Logger LOG = LoggerFactory.getLogger(LdapKeySource.class);
  private static final int MAX_CONNECTIONS = 4;

  /** How often changes are polled where the directory pushes none, by default. */
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

  private final KeyLookup lookup;
  private final LDAPConnectionPool pool;
  private final ChangeFeed feed; // null without a cache
  private final Clock clock;
  private final String description;

  private LdapKeySource(
      KeyLookup lookup, LDAPConnectionPool pool, ChangeFeed feed, Clock clock, String description) {
    this.lookup = lookup;
    this.pool = pool;
    this.feed = feed;
    this.clock = clock;
    this.description = description;
  }

  /**
   * Opens a key source with the system clocks, key files read with {@code RequireSafeKeys} and
   * polling (where needed) every 30 s.
   *
   * @param urls one or more space-separated {@code ldap[s]://host[:port]/BASE} URLs: the servers in
   *     failover order and the key tree's base DN (the same in every URL)
   * @throws DataSetException as {@link Builder#open()}
   */
  public static LdapKeySource open(String urls, Source declaredAt, DataSetOptions options)
      throws DataSetException {
    return builder(urls, declaredAt, options).open();
  }

  /** A builder for everything {@link #open(String, Source, DataSetOptions)} fixes. */
  public static Builder builder(String urls, Source declaredAt, DataSetOptions options) {
    return new Builder(urls, declaredAt, options);
  }

  /** What a key source is made of; every setting but the three given has a default. */
  public static final class Builder {
    private final String urls;
    private final Source declaredAt;
    private final DataSetOptions options;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private PrivateKeyFiles keyFiles = new PrivateKeyFiles(true);
    private int maxDomains;
    private Set<ChangeFeed.Mode> modes = EnumSet.allOf(ChangeFeed.Mode.class);

    private Builder(String urls, Source declaredAt, DataSetOptions options) {
      this.urls = Objects.requireNonNull(urls, "urls");
      this.declaredAt = Objects.requireNonNull(declaredAt, "declaredAt");
      this.options = Objects.requireNonNull(options, "options");
      this.maxDomains = options.cacheMaxEntries();
    }

    /** The clock validity windows are checked against (default: the system's, UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The monotonic clock of the cache's time-to-live, in nanoseconds (default nanoTime). */
    public Builder nanoTime(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * How often to look for changed entries where the directory offers neither content sync nor
     * persistent search, and how often a push connection is checked (default 30 s).
     */
    public Builder pollInterval(Duration interval) {
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("poll interval must be > 0, not " + interval);
      }
      this.pollInterval = interval;
      return this;
    }

    /** Reads {@code DKIMKey} values that name a file (default: with RequireSafeKeys). */
    public Builder keyFiles(PrivateKeyFiles keyFiles) {
      this.keyFiles = Objects.requireNonNull(keyFiles, "keyFiles");
      return this;
    }

    /**
     * How many domains the cache remembers, oldest out first (default: the options' {@code
     * cacheMaxEntries}).
     */
    public Builder maxDomains(int maxDomains) {
      if (maxDomains < 1) {
        throw new IllegalArgumentException("maxDomains must be >= 1, not " + maxDomains);
      }
      this.maxDomains = maxDomains;
      return this;
    }

    /** Which change notifications may be used (tests force polling with it). */
    Builder modes(Set<ChangeFeed.Mode> modes) {
      this.modes = EnumSet.copyOf(modes);
      return this;
    }

    /**
     * Connects, binds and checks that the base entry exists (unless {@code options.softStart()}:
     * then a directory that cannot be reached yet only makes lookups fail as unavailable until it
     * can), and starts change notifications when answers are cached.
     *
     * @throws DataSetException when a URL does not parse or names no base DN, the URLs name
     *     different bases, the CA file is unusable, a server answers that the base entry does not
     *     exist, or (without SoftStart) no server can be reached or the bind fails
     */
    public LdapKeySource open() throws DataSetException {
      List<LdapUrl> parsed = LdapConnections.parseUrls(urls, declaredAt);
      DN base = base(parsed, urls, declaredAt);
      LdapConnections connections =
          LdapConnections.create(urls, declaredAt, parsed, options.ldap());
      String servers = connections.servers();
      LDAPConnectionPool pool;
      try {
        pool =
            connections.pool(
                "inkan-ldap-keys " + declaredAt, MAX_CONNECTIONS, !options.softStart());
      } catch (LDAPException e) {
        throw fail("cannot connect and bind to " + servers + ": " + LdapConnections.describe(e));
      }
      KeyTree tree = new KeyTree(base);
      LdapKeyLookup direct =
          new LdapKeyLookup(
              tree,
              pool,
              connections,
              new KeyEntryParser(new ParsedKeys(keyFiles, 2 * maxDomains)),
              declaredAt);
      checkBase(pool, base, servers, direct);
      String description = "LdapKeySource[" + servers + ", " + base + "]";
      if (options.ldap().disableCache()
          || (options.cacheTtl().isZero() && options.negativeCacheTtl().isZero())) {
        return new LdapKeySource(direct, pool, null, clock, description);
      }
      CachedKeyLookup cached =
          new CachedKeyLookup(
              direct, options.cacheTtl(), options.negativeCacheTtl(), maxDomains, nanoTime);
      ChangeFeed feed =
          new ChangeFeed(connections, tree, cached, pollInterval, modes, clock, declaredAt);
      feed.start();
      return new LdapKeySource(cached, pool, feed, clock, description);
    }

    private void checkBase(LDAPConnectionPool pool, DN base, String servers, LdapKeyLookup direct)
        throws DataSetException {
      if (pool.getCurrentAvailableConnections() == 0) {
        direct.startsFailing();
        LOG.warn(
            "{}: LDAP key source on {} is not reachable yet; SoftStart: signing fails as"
                + " unavailable until it is",
            declaredAt,
            servers);
        return;
      }
      try {
        if (pool.getEntry(base.toString(), "1.1") == null) {
          pool.close();
          throw fail("the key tree's base " + base + " does not exist on " + servers);
        }
      } catch (LDAPException e) {
        if (!options.softStart()) {
          pool.close();
          throw fail("cannot read the base " + base + ": " + LdapConnections.describe(e));
        }
        direct.startsFailing();
      }
    }

    private DataSetException fail(String reason) {
      return new DataSetException(declaredAt, null, urls, reason);
    }
  }

  /** The base DN all URLs name; they name no attributes or filter. */
  private static DN base(List<LdapUrl> parsed, String urls, Source at) throws DataSetException {
    DN base = null;
    for (LdapUrl url : parsed) {
      if (!url.attributes().isEmpty() || !url.filter().equals("(objectClass=*)")) {
        throw new DataSetException(
            at, null, urls, url.server() + ": a key source URL names a server and a base DN only");
      }
      DN dn;
      try {
        dn = new DN(url.base());
      } catch (LDAPException e) {
        throw new DataSetException(at, null, urls, "\"" + url.base() + "\" is not a DN");
      }
      if (dn.isNullDN()) {
        throw new DataSetException(
            at, null, urls, url.server() + " names no base DN (ldap://host/BASE)");
      }
      if (base != null && !base.equals(dn)) {
        throw new DataSetException(
            at, null, urls, "every URL must name the same base DN, not \"" + url.base() + "\"");
      }
      base = dn;
    }
    return base;
  }

  @Override
  public List<DirectoryKey> keysFor(String domain) {
    Optional<String> d = KeyTree.normalize(Objects.requireNonNull(domain, "domain"));
    if (d.isEmpty()) {
      return List.of();
    }
    DomainKeys keys = lookup.lookup(d.get());
    if (keys.isEmpty()) {
      return List.of();
    }
    Instant now = clock.instant();
    List<DirectoryKey> signing = new ArrayList<>(keys.entries().size());
    for (KeyEntry e : keys.entries()) {
      if (e.signsAt(now)) {
        signing.add(e.key());
      }
    }
    return List.copyOf(signing);
  }

  @Override
  public void dropCache() {
    lookup.forgetAll();
  }

  @Override
  public void onChange(Runnable listener) {
    if (lookup instanceof CachedKeyLookup cached) {
      cached.onChange(listener);
    }
  }

  /** The change feed, absent when nothing is cached (for tests). */
  Optional<ChangeFeed> feed() {
    return Optional.ofNullable(feed);
  }

  @Override
  public void close() {
    if (feed != null) {
      feed.close();
    }
    pool.close();
  }

  @Override
  public String toString() {
    return description;
  }
}
