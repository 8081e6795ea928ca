package io.inkan.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * DNS for key records: {@code Nameservers} (empty: the system resolver), {@code DNSTimeout} seconds
 * (0: wait forever, as OpenDKIM), {@code TestPublicKeys}, {@code TestDNSData}, {@code QueryCache}.
 */
public record DnsSettings(
    List<Nameserver> nameservers,
    int timeoutSeconds,
    Optional<Path> testPublicKeys,
    Optional<DataSetRef> testDnsData,
    boolean queryCache) {}
