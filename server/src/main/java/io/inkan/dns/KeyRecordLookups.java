package io.inkan.dns;

import io.inkan.config.DataSetRef;
import io.inkan.config.DnsSettings;
import io.inkan.dkim.KeyRecordLookup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The key-record lookup a configuration asks for: {@code TestPublicKeys} or {@code TestDNSData}
 * files instead of DNS, else DNS through {@code Nameservers} (or the system resolver) with {@code
 * DNSTimeout}; with {@code QueryCache yes}, behind an in-process cache.
 */
public final class KeyRecordLookups {
  /** What {@code DNSTimeout 0} ("wait forever" in OpenDKIM) becomes: still bounded. */
  private static final Duration LONGEST = Duration.ofSeconds(60);

  private KeyRecordLookups() {}

  /**
   * Builds the lookup.
   *
   * @throws IOException naming the file when a test-key file is unreadable or malformed
   */
  public static KeyRecordLookup from(DnsSettings dns) throws IOException {
    KeyRecordLookup lookup = uncached(dns);
    return dns.queryCache() ? new CachingKeyRecordLookup(lookup) : lookup;
  }

  private static KeyRecordLookup uncached(DnsSettings dns) throws IOException {
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
    if (dns.nameservers().isEmpty()) {
      return DnsKeyRecordLookup.system(timeout);
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (var ns : dns.nameservers()) {
      try {
        servers.add(new InetSocketAddress(InetAddress.getByName(ns.address()), ns.port()));
      } catch (UnknownHostException e) {
        throw new IOException("Nameservers: not an IP address: " + ns.address(), e);
      }
    }
    return DnsKeyRecordLookup.servers(servers, timeout);
  }
}
