package io.inkan.dns;

import io.inkan.cache.CacheStats;
import io.inkan.cache.CaffeineQueryCache;
import io.inkan.config.DataSetRef;
import io.inkan.config.DnsSettings;
import io.inkan.config.DnsSettings.QueryCacheSettings;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The key-record lookup a configuration asks for: {@code TestPublicKeys} or {@code TestDNSData}
 * files instead of DNS, else DNS through {@code Nameservers} (or the system resolver) with {@code
 * DNSTimeout}, DNSSEC-validated against {@code TrustAnchorFile} when set; behind an in-process
 * cache with {@code QueryCache yes} and a shared one (JE or memcached) with {@code
 * QueryCacheBackend} (see {@link CachingKeyRecordLookup}).
 */
public final class KeyRecordLookups {
  /** What {@code DNSTimeout 0} ("wait forever" in OpenDKIM) becomes: still bounded. */
  private static final Duration LONGEST = Duration.ofSeconds(60);

  private KeyRecordLookups() {}

  /**
   * Builds the lookup chain; the caller closes it when done with it.
   *
   * @throws IOException naming the file when a test-key file is unreadable or malformed, or the
   *     file and line of the key when the shared query cache cannot be set up
   */
  public static KeyLookupChain from(DnsSettings dns) throws IOException {
    return from(dns, DnsMetrics.NONE);
  }

  /** The same, DNS queries reported to {@code metrics}. */
  public static KeyLookupChain from(DnsSettings dns, DnsMetrics metrics) throws IOException {
    return from(dns, Clock.systemUTC(), metrics);
  }

  /** The same, with expiry decided by {@code clock} (tests). */
  static KeyLookupChain from(DnsSettings dns, Clock clock) throws IOException {
    return from(dns, clock, DnsMetrics.NONE);
  }

  private static KeyLookupChain from(DnsSettings dns, Clock clock, DnsMetrics metrics)
      throws IOException {
    KeyRecordLookup lookup = source(dns, metrics);
    QueryCacheSettings settings = dns.cache();
    if (!dns.queryCache() && settings.backend().isEmpty()) {
      return new Uncached(lookup);
    }
    CachingKeyRecordLookup.Builder chain =
        CachingKeyRecordLookup.builder(lookup).ttls(ttls(settings)).clock(clock);
    if (settings.backend().isPresent()) {
      SharedQueryCaches.Layer shared = SharedQueryCaches.open(settings, clock);
      chain.shared(shared.name(), shared.cache());
    }
    if (dns.queryCache()) {
      chain.memory(new CaffeineQueryCache(settings.maxEntries(), clock));
    }
    return chain.build();
  }

  /**
   * The lookup without any query-cache layer, for one-shot commands ({@code inkan testkey}): a
   * running daemon holds the JE directory, and a cache would only delay what the command shows.
   *
   * @throws IOException naming the file when a test-key file is unreadable or malformed
   */
  public static KeyRecordLookup withoutCaches(DnsSettings dns) throws IOException {
    return source(dns, DnsMetrics.NONE);
  }

  /**
   * Checks the configuration's lookup without building it, for {@code inkan serve -n} (a running
   * daemon holds its JE directory, so opening it would fail): the test-key files are read and the
   * shared query cache's setup is checked as {@link #from} would need it.
   *
   * @throws IOException as {@link #from} would
   */
  public static void check(DnsSettings dns) throws IOException {
    source(dns, DnsMetrics.NONE);
    if (dns.cache().backend().isPresent()) {
      SharedQueryCaches.check(dns.cache());
    }
  }

  private static CacheTtls ttls(QueryCacheSettings s) {
    return new CacheTtls(
        Duration.ofSeconds(s.minTtlSeconds()),
        Duration.ofSeconds(s.maxTtlSeconds()),
        Duration.ofSeconds(s.negativeTtlSeconds()),
        Duration.ofSeconds(s.tempFailTtlSeconds()));
  }

  /** A lookup without caches: nothing to count or close. */
  private record Uncached(KeyRecordLookup lookup) implements KeyLookupChain {
    @Override
    public CompletionStage<KeyLookupResult> lookup(String name) {
      return lookup.lookup(name);
    }

    @Override
    public Map<String, CacheStats> layerStats() {
      return Map.of();
    }

    @Override
    public void close() {}
  }

  private static KeyRecordLookup source(DnsSettings dns, DnsMetrics metrics) throws IOException {
    if (dns.testPublicKeys().isPresent()) {
      return TestKeysFile.load(dns.testPublicKeys().get());
    }
    if (dns.testDnsData().isPresent()) {
      DataSetRef ref = dns.testDnsData().get();
      if (ref.kind() != DataSetRef.Kind.FILE) {
        throw new IOException(
            ref.file()
                + ":"
                + ref.line()
                + ": TestDNSData must be a file: data set, got "
                + ref.spec());
      }
      return TestKeysFile.load(Path.of(ref.body()));
    }
    Duration timeout =
        dns.timeoutSeconds() <= 0 ? LONGEST : Duration.ofSeconds(dns.timeoutSeconds());
    Optional<TrustAnchors> anchors = anchors(dns);
    if (dns.nameservers().isEmpty()) {
      return DnsKeyRecordLookup.system(timeout, anchors).withMetrics(metrics);
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (var ns : dns.nameservers()) {
      try {
        servers.add(new InetSocketAddress(InetAddress.getByName(ns.address()), ns.port()));
      } catch (UnknownHostException e) {
        throw new IOException("Nameservers: not an IP address: " + ns.address(), e);
      }
    }
    return DnsKeyRecordLookup.servers(servers, timeout, anchors).withMetrics(metrics);
  }

  /** {@code TrustAnchorFile} read, errors naming the line that set it. */
  private static Optional<TrustAnchors> anchors(DnsSettings dns) throws IOException {
    if (dns.trustAnchorFile().isEmpty()) {
      return Optional.empty();
    }
    DnsSettings.Located<Path> file = dns.trustAnchorFile().get();
    try {
      return Optional.of(TrustAnchors.load(file.value()));
    } catch (IOException e) {
      throw new IOException(
          file.file() + ":" + file.line() + ": TrustAnchorFile: " + e.getMessage(), e);
    }
  }
}
