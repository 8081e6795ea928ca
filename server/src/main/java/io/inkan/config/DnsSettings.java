package io.inkan.config;

import io.inkan.cache.CacheBackendSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * DNS for key records: {@code Nameservers} (empty: the system resolver), {@code DNSTimeout} seconds
 * (0: wait forever, as OpenDKIM), {@code TestPublicKeys}, {@code TestDNSData}, {@code QueryCache}
 * (the in-process cache), Inkan's {@code QueryCache*} keys in {@link QueryCacheSettings}, and
 * {@code TrustAnchorFile}: DS or DNSKEY records in zone-file format (as Unbound's {@code
 * trust-anchor-file}) that turn on DNSSEC validation of key records.
 */
public record DnsSettings(
    List<Nameserver> nameservers,
    int timeoutSeconds,
    Optional<Path> testPublicKeys,
    Optional<DataSetRef> testDnsData,
    boolean queryCache,
    QueryCacheSettings cache,
    Optional<Located<Path>> trustAnchorFile) {

  /** Without DNSSEC validation. */
  public DnsSettings(
      List<Nameserver> nameservers,
      int timeoutSeconds,
      Optional<Path> testPublicKeys,
      Optional<DataSetRef> testDnsData,
      boolean queryCache,
      QueryCacheSettings cache) {
    this(
        nameservers,
        timeoutSeconds,
        testPublicKeys,
        testDnsData,
        queryCache,
        cache,
        Optional.empty());
  }

  /** With the query cache's defaults. */
  public DnsSettings(
      List<Nameserver> nameservers,
      int timeoutSeconds,
      Optional<Path> testPublicKeys,
      Optional<DataSetRef> testDnsData,
      boolean queryCache) {
    this(
        nameservers,
        timeoutSeconds,
        testPublicKeys,
        testDnsData,
        queryCache,
        QueryCacheSettings.DEFAULTS);
  }

  /** A value and the line that set it, for errors found when the value is put to use. */
  public record Located<T>(T value, String file, int line) {}

  /**
   * The key-record cache beyond {@code QueryCache}.
   *
   * @param backend {@code QueryCacheBackend}: the shared layer, JE or memcached
   * @param secretFile {@code QueryCacheSecretFile}: the cluster secret authenticating memcached
   *     values (required with memcached)
   * @param timeoutMillis {@code QueryCacheTimeout}: longest a memcached operation may take
   * @param maxEntries {@code QueryCacheMaxEntries}: answers kept in process and in JE
   * @param minTtlSeconds {@code QueryCacheMinTTL}: shortest life of a found record
   * @param maxTtlSeconds {@code QueryCacheMaxTTL}: longest life of any answer
   * @param negativeTtlSeconds {@code QueryCacheNegativeTTL}: life of NXDOMAIN and NODATA when the
   *     answer has no SOA to take it from (RFC 2308 §5)
   * @param tempFailTtlSeconds {@code QueryCacheTempFailTTL}: life of a SERVFAIL or timeout in the
   *     in-process layer; 0 never keeps one
   */
  public record QueryCacheSettings(
      Optional<Located<CacheBackendSpec>> backend,
      Optional<Located<Path>> secretFile,
      int timeoutMillis,
      int maxEntries,
      int minTtlSeconds,
      int maxTtlSeconds,
      int negativeTtlSeconds,
      int tempFailTtlSeconds) {
    public static final QueryCacheSettings DEFAULTS =
        new QueryCacheSettings(Optional.empty(), Optional.empty(), 100, 100_000, 30, 3600, 300, 5);
  }
}
