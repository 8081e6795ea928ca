package io.inkan.dataset;

import io.inkan.config.DataSetSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings the remote data sets share, from opendkim.conf(5)'s {@code LDAP*} keys, {@code
 * SoftStart} and Inkan's cache keys. Local sets (files, lists) ignore them.
 *
 * @param ldap LDAP connection settings
 * @param softStart start even when a remote set cannot be reached yet ({@code SoftStart}); lookups
 *     then fail as unavailable until it can
 * @param cacheTtl how long a remote answer is reused (0: never cached)
 * @param negativeCacheTtl how long a remote "no such key" is reused (0: never cached)
 * @param cacheMaxEntries how many found entries, and as many misses, each remote set keeps
 * @param metrics where the sets opened with these options report lookups and reachability
 */
public record DataSetOptions(
    LdapOptions ldap,
    boolean softStart,
    Duration cacheTtl,
    Duration negativeCacheTtl,
    int cacheMaxEntries,
    DataSetMetrics metrics) {
  public static final DataSetOptions DEFAULTS =
      new DataSetOptions(LdapOptions.DEFAULTS, false, Duration.ofMinutes(5), Duration.ofMinutes(1));

  /** The settings a configuration gives (opendkim.conf(5)'s LDAP keys, SoftStart, cache TTLs). */
  public static DataSetOptions of(DataSetSettings d) {
    return new DataSetOptions(
        new LdapOptions(
            d.ldapBindUser(),
            d.ldapBindPassword(),
            d.ldapUseTls(),
            d.ldapCaFile(),
            Duration.ofSeconds(d.ldapTimeoutSeconds()),
            d.ldapKeepaliveIdle(),
            d.ldapKeepaliveInterval(),
            d.ldapKeepaliveProbes(),
            d.ldapDisableCache()),
        d.softStart(),
        Duration.ofSeconds(d.cacheTtlSeconds()),
        Duration.ofSeconds(d.negativeCacheTtlSeconds()),
        d.cacheMaxEntries());
  }

  /** The same connection settings for a one-shot tool: no caching, no SoftStart. */
  public DataSetOptions uncached() {
    LdapOptions l = ldap;
    return new DataSetOptions(
        new LdapOptions(
            l.bindUser(),
            l.bindPassword(),
            l.startTls(),
            l.caFile(),
            l.timeout(),
            l.keepaliveIdle(),
            l.keepaliveInterval(),
            l.keepaliveProbes(),
            true),
        false,
        Duration.ZERO,
        Duration.ZERO);
  }

  /** Reporting to no metrics. */
  public DataSetOptions(
      LdapOptions ldap,
      boolean softStart,
      Duration cacheTtl,
      Duration negativeCacheTtl,
      int cacheMaxEntries) {
    this(ldap, softStart, cacheTtl, negativeCacheTtl, cacheMaxEntries, DataSetMetrics.NONE);
  }

  /** The same settings, the sets reporting to {@code metrics}. */
  public DataSetOptions withMetrics(DataSetMetrics metrics) {
    return new DataSetOptions(
        ldap, softStart, cacheTtl, negativeCacheTtl, cacheMaxEntries, metrics);
  }

  /** With the default cache size ({@link CachedDataSet#MAX_ENTRIES}). */
  public DataSetOptions(
      LdapOptions ldap, boolean softStart, Duration cacheTtl, Duration negativeCacheTtl) {
    this(ldap, softStart, cacheTtl, negativeCacheTtl, CachedDataSet.MAX_ENTRIES);
  }

  public DataSetOptions {
    if (cacheMaxEntries < 1) {
      throw new IllegalArgumentException("cacheMaxEntries must be >= 1, got " + cacheMaxEntries);
    }
    Objects.requireNonNull(ldap, "ldap");
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    Objects.requireNonNull(negativeCacheTtl, "negativeCacheTtl");
    Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * LDAP settings (opendkim.conf(5)).
   *
   * @param bindUser {@code LDAPBindUser}: DN for a simple bind; empty for an anonymous bind
   * @param bindPassword {@code LDAPBindPassword}
   * @param startTls {@code LDAPUseTLS}: StartTLS on {@code ldap:} URLs
   * @param caFile Inkan's {@code LDAPCACertificateFile}: PEM CA certificates to trust for TLS
   *     instead of the JVM's trust store
   * @param timeout {@code LDAPTimeout}: connect and operation time limit (OpenDKIM default 5 s)
   * @param keepaliveIdle {@code LDAPKeepaliveIdle}, seconds; 0 leaves the system default
   * @param keepaliveInterval {@code LDAPKeepaliveInterval}, seconds; 0 leaves the system default
   * @param keepaliveProbes {@code LDAPKeepaliveProbes}; 0 leaves the system default
   * @param disableCache {@code LDAPDisableCache}: never reuse an LDAP answer
   */
  public record LdapOptions(
      Optional<String> bindUser,
      Optional<String> bindPassword,
      boolean startTls,
      Optional<java.nio.file.Path> caFile,
      Duration timeout,
      int keepaliveIdle,
      int keepaliveInterval,
      int keepaliveProbes,
      boolean disableCache) {
    public static final LdapOptions DEFAULTS =
        new LdapOptions(
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty(),
            Duration.ofSeconds(5),
            0,
            0,
            0,
            false);

    public LdapOptions {
      Objects.requireNonNull(bindUser, "bindUser");
      Objects.requireNonNull(bindPassword, "bindPassword");
      Objects.requireNonNull(caFile, "caFile");
      Objects.requireNonNull(timeout, "timeout");
    }

    /** Never prints the password. */
    @Override
    public String toString() {
      return "LdapOptions[bindUser="
          + bindUser.orElse("(anonymous)")
          + ", startTls="
          + startTls
          + ", timeout="
          + timeout
          + "]";
    }
  }
}
