package io.inkan.dns;

import io.inkan.cache.CacheBackendSpec;
import io.inkan.config.DnsSettings;
import io.inkan.config.DnsSettings.Located;
import io.inkan.config.DnsSettings.QueryCacheSettings;
import io.inkan.config.Nameserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** DNS settings as a configuration file would give them, for building lookup chains in tests. */
final class ChainSettings {
  private ChainSettings() {}

  /** DNS at {@code server} with a 2 s DNSTimeout, the in-process layer if {@code memory}. */
  static DnsSettings dns(InetSocketAddress server, boolean memory, QueryCacheSettings cache) {
    return dns(server, 2, memory, cache);
  }

  static DnsSettings dns(
      InetSocketAddress server, int dnsTimeout, boolean memory, QueryCacheSettings cache) {
    return new DnsSettings(
        List.of(new Nameserver(server.getAddress().getHostAddress(), server.getPort())),
        dnsTimeout,
        Optional.empty(),
        Optional.empty(),
        memory,
        cache);
  }

  /** The defaults with a backend ({@code null}: none), secret file, memcached timeout and TTLs. */
  static QueryCacheSettings cache(
      String backend, Path secretFile, int timeoutMillis, int negativeTtl, int tempFailTtl) {
    QueryCacheSettings d = QueryCacheSettings.DEFAULTS;
    return new QueryCacheSettings(
        Optional.ofNullable(backend)
            .map(b -> new Located<>(CacheBackendSpec.parse(b), "t.conf", 7)),
        Optional.ofNullable(secretFile).map(f -> new Located<>(f, "t.conf", 8)),
        timeoutMillis,
        d.maxEntries(),
        d.minTtlSeconds(),
        d.maxTtlSeconds(),
        negativeTtl,
        tempFailTtl);
  }

  static QueryCacheSettings cache(String backend) {
    QueryCacheSettings d = QueryCacheSettings.DEFAULTS;
    return cache(backend, null, d.timeoutMillis(), d.negativeTtlSeconds(), d.tempFailTtlSeconds());
  }
}
