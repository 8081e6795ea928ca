package io.inkan.keys.health;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.tools.KeyCheck;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The monitor against a fake lookup: a botched record turns its gauge to 0 with one WARN. */
class KeyHealthMonitorTest {
  private final Map<String, KeyLookupResult> dns = new ConcurrentHashMap<>();
  private final KeyRecordLookup lookup =
      name ->
          CompletableFuture.completedFuture(
              dns.getOrDefault(name, new KeyLookupResult.NxDomain(java.util.OptionalLong.empty())));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final Logger logger = (Logger) LoggerFactory.getLogger(KeyHealthMonitor.class);
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private SigningKey key;
  private SigningKey other;

  @BeforeEach
  void setUp() throws Exception {
    key = read("/keys/rsa2048.private");
    other = read("/keys/rfc8463-rsa.private");
    log.start();
    logger.addAppender(log);
  }

  @AfterEach
  void tearDown() {
    logger.detachAppender(log);
  }

  private static SigningKey read(String resource) throws Exception {
    try (InputStream in = KeyHealthMonitorTest.class.getResourceAsStream(resource)) {
      return PrivateKeyReader.read(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }
  }

  private void publish(String name, SigningKey k) {
    dns.put(
        name,
        new KeyLookupResult.Found(
            List.of(KeyLookupResult.TxtRecord.of("v=DKIM1; p=" + k.publicKeyBase64())), false));
  }

  private double ok(String domain) {
    return registry.get("inkan.key.record.ok").tag("domain", domain).gauge().value();
  }

  private double checks(String result) {
    return registry.find("inkan.key.checks").tag("result", result).counters().stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  private List<String> warnings() {
    return log.list.stream()
        .filter(e -> e.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage)
        .toList();
  }

  private KeyHealthMonitor monitor(Clock clock) {
    return new KeyHealthMonitor(
        List.of(
            new KeyCheck("example.com", "sel", Optional.of(key), Optional.empty()),
            new KeyCheck("example.org", "sel", Optional.of(key), Optional.empty())),
        lookup,
        registry,
        clock);
  }

  @Test
  void aMismatchTurnsTheGaugeToZeroWithOneWarningAndAFixTurnsItBack() {
    publish("sel._domainkey.example.com", key);
    publish("sel._domainkey.example.org", other);
    try (KeyHealthMonitor m =
        monitor(Clock.fixed(Instant.ofEpochSecond(1_800_000_000L), ZoneOffset.UTC))) {
      assertThat(ok("example.com")).isNaN();
      m.checkAll();
      assertThat(ok("example.com")).isEqualTo(1.0);
      assertThat(ok("example.org")).isEqualTo(0.0);
      assertThat(registry.get("inkan.key.check.last").gauge().value()).isEqualTo(1.8e9);
      assertThat(registry.get("inkan.key.health.keys").gauge().value()).isEqualTo(2.0);
      m.checkAll();
      m.checkAll();
      assertThat(checks("ok")).isEqualTo(3.0);
      assertThat(checks("mismatch")).isEqualTo(3.0);
      assertThat(warnings())
          .singleElement()
          .asString()
          .contains("example.org/sel: public key does not match the private key");

      publish("sel._domainkey.example.org", key);
      m.checkAll();
      assertThat(ok("example.org")).isEqualTo(1.0);
      assertThat(warnings()).hasSize(1);

      dns.remove("sel._domainkey.example.org");
      m.checkAll();
      m.checkAll();
      assertThat(ok("example.org")).isEqualTo(0.0);
      assertThat(checks("not_found")).isEqualTo(2.0);
      assertThat(warnings()).hasSize(2).last().asString().contains("record not found");
    }
    assertThat(registry.find("inkan.key.record.ok").gauges()).isEmpty();
  }

  @Test
  void aDnsErrorIsCountedButLeavesTheVerdict() {
    publish("sel._domainkey.example.com", key);
    publish("sel._domainkey.example.org", key);
    try (KeyHealthMonitor m = monitor(Clock.systemUTC())) {
      m.checkAll();
      dns.put("sel._domainkey.example.com", new KeyLookupResult.TempFail("SERVFAIL"));
      m.checkAll();
      assertThat(ok("example.com")).isEqualTo(1.0);
      assertThat(checks("dns_error")).isEqualTo(1.0);
      assertThat(warnings()).isEmpty();
    }
  }

  @Test
  void theScheduledRoundsRunOnTheirOwnThread() throws Exception {
    publish("sel._domainkey.example.com", key);
    try (KeyHealthMonitor m = monitor(Clock.systemUTC())) {
      m.start(java.time.Duration.ofMillis(200), java.time.Duration.ZERO);
      for (int i = 0; i < 50 && checks("ok") < 2; i++) {
        Thread.sleep(50);
      }
      assertThat(checks("ok")).isGreaterThanOrEqualTo(2.0);
      assertThat(ok("example.org")).isEqualTo(0.0);
    }
  }
}
