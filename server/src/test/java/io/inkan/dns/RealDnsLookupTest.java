package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.config.DnsSettings;
import io.inkan.config.Nameserver;
import io.inkan.dkim.DkimResult;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.VerificationResult;
import io.inkan.milter.MilterReply;
import io.inkan.testing.AuthoritativeDns;
import io.inkan.testing.AuthoritativeDnsProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Every key-record lookup outcome against a real authoritative server (Knot DNS on a loopback port,
 * see {@link AuthoritativeDns}), and what the verifier makes of each.
 */
class RealDnsLookupTest {
  private static AuthoritativeDns dns;

  /** A key record too long for one UDP answer: a 4096-bit key after 1400 bytes of notes. */
  private static String big() {
    return "v=DKIM1; k=rsa; n="
        + "padding".repeat(200)
        + "; p="
        + SignedMessages.RSA_4096.publicKeyBase64();
  }

  @BeforeAll
  static void start() throws Exception {
    AuthoritativeDns.require(); // before the keys of SignedMessages are made
    dns =
        AuthoritativeDns.start(
            Map.of(
                "example.com",
                String.join(
                    "\n",
                    "plain._domainkey 120 TXT " + quoted(SignedMessages.record(SignedMessages.RSA)),
                    "nodata._domainkey A 192.0.2.1",
                    "split._domainkey 600 TXT "
                        + quoted(SignedMessages.record(SignedMessages.RSA_2048)),
                    "mixed._domainkey TXT " + quoted("google-site-verification=abcdef"),
                    "mixed._domainkey TXT " + quoted(SignedMessages.record(SignedMessages.RSA)),
                    "mixed._domainkey TXT " + quoted("v=spf1 -all"),
                    "two._domainkey TXT " + quoted(SignedMessages.record(SignedMessages.RSA)),
                    "two._domainkey TXT " + quoted(SignedMessages.record(SignedMessages.OTHER)),
                    "chain._domainkey 60 CNAME hop._domainkey",
                    "hop._domainkey 90 CNAME keys._domainkey.example.net.",
                    "local._domainkey CNAME plain._domainkey",
                    "dangling._domainkey CNAME gone._domainkey.example.net.",
                    "toa._domainkey CNAME nodata._domainkey",
                    "big._domainkey TXT " + quoted(big())),
                "example.net",
                "keys._domainkey 200 TXT " + quoted(SignedMessages.record(SignedMessages.RSA))));
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
  }

  /** Zone-file text: strings of at most 255 bytes (RFC 1035 §3.3), as a 2048-bit key needs. */
  static String quoted(String text) {
    StringBuilder out = new StringBuilder("(");
    for (int i = 0; i < text.length(); i += 255) {
      out.append(" \"").append(text, i, Math.min(text.length(), i + 255)).append('"');
    }
    return out.append(" )").toString();
  }

  /** The server alone, with a 2 s budget. */
  private static KeyRecordLookup direct() {
    return DnsKeyRecordLookup.servers(List.of(dns.address()), Duration.ofSeconds(2));
  }

  private static KeyLookupResult lookup(String name) {
    return lookup(direct(), name);
  }

  private static KeyLookupResult lookup(KeyRecordLookup lookup, String name) {
    return lookup.lookup(name).toCompletableFuture().join();
  }

  private static List<String> texts(KeyLookupResult r) {
    assertThat(r).isInstanceOf(KeyLookupResult.Found.class);
    return ((KeyLookupResult.Found) r).records().stream().map(t -> t.text()).toList();
  }

  private static VerificationResult verify(String selector, KeyRecordLookup lookup) {
    return SignedMessages.verify(SignedMessages.signed(selector), lookup);
  }

  private static KeyRecordLookup configured(List<InetSocketAddress> servers, int timeoutSeconds)
      throws Exception {
    List<Nameserver> ns = new ArrayList<>();
    for (InetSocketAddress a : servers) {
      ns.add(new Nameserver(a.getAddress().getHostAddress(), a.getPort()));
    }
    return KeyRecordLookups.from(
        new DnsSettings(ns, timeoutSeconds, Optional.empty(), Optional.empty(), false));
  }

  @Test
  void aKeyRecordIsFoundWithItsTtl() {
    KeyLookupResult r = lookup("plain._domainkey.example.com");
    assertThat(texts(r)).containsExactly(SignedMessages.record(SignedMessages.RSA));
    assertThat(((KeyLookupResult.Found) r).records().get(0).ttl()).hasValue(120);
    assertThat(verify("plain", direct()).result()).isEqualTo(DkimResult.PASS);
  }

  /** NXDOMAIN and NODATA are permanent (no key), a refusal (no such zone here) temporary. */
  @Test
  void nxdomainNodataAndRefusalAreToldApart() throws Exception {
    assertThat(lookup("missing._domainkey.example.com"))
        .isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(lookup("nodata._domainkey.example.com")).isInstanceOf(KeyLookupResult.NoData.class);
    // An empty non-terminal exists without any record of its own.
    assertThat(lookup("_domainkey.example.com")).isInstanceOf(KeyLookupResult.NoData.class);
    VerificationResult v = verify("missing", direct());
    assertThat(v.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(v.keyNotFound()).isTrue();
    assertThat(dns.query("sel._domainkey.example.org", Type.TXT, false, Duration.ofSeconds(2)))
        .extracting(Message::getRcode)
        .isEqualTo(Rcode.REFUSED);
    assertThat(lookup("sel._domainkey.example.org")).isInstanceOf(KeyLookupResult.TempFail.class);
  }

  @Test
  void theStringsOfALongRecordAreJoined() {
    String record = SignedMessages.record(SignedMessages.RSA_2048);
    assertThat(record.length()).isGreaterThan(255);
    KeyLookupResult r = lookup("split._domainkey.example.com");
    assertThat(texts(r)).containsExactly(record);
    assertThat(((KeyLookupResult.Found) r).records().get(0).ttl()).hasValue(600);
    assertThat(verify("split", direct()).result()).isEqualTo(DkimResult.PASS);
  }

  @Test
  void ofSeveralRecordsTheKeyRecordIsUsed() {
    assertThat(texts(lookup("mixed._domainkey.example.com")))
        .containsExactlyInAnyOrder(
            "google-site-verification=abcdef",
            SignedMessages.record(SignedMessages.RSA),
            "v=spf1 -all");
    assertThat(verify("mixed", direct()).result()).isEqualTo(DkimResult.PASS);
  }

  /** RFC 6376 §3.6.2.2: key records must be unique per selector; two are a permanent error. */
  @Test
  void twoKeyRecordsAtOneNameAreAPermerror() {
    assertThat(texts(lookup("two._domainkey.example.com"))).hasSize(2);
    VerificationResult v = verify("two", direct());
    assertThat(v.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(v.reason()).contains("multiple key records");
  }

  @Test
  void cnameChainsAreFollowedAcrossZones() {
    KeyLookupResult r = lookup("chain._domainkey.example.com");
    assertThat(texts(r)).containsExactly(SignedMessages.record(SignedMessages.RSA));
    // The lowest TTL of the chain (CNAME 60, CNAME 90, TXT 200), not the last link's.
    assertThat(((KeyLookupResult.Found) r).records().get(0).ttl()).hasValue(60);
    KeyLookupResult local = lookup("local._domainkey.example.com");
    assertThat(texts(local)).containsExactly(SignedMessages.record(SignedMessages.RSA));
    assertThat(((KeyLookupResult.Found) local).records().get(0).ttl()).hasValue(120);
    assertThat(lookup("dangling._domainkey.example.com"))
        .isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(lookup("toa._domainkey.example.com")).isInstanceOf(KeyLookupResult.NoData.class);
    assertThat(verify("chain", direct()).result()).isEqualTo(DkimResult.PASS);
  }

  @Test
  void aTruncatedAnswerIsAskedAgainOverTcp() throws Exception {
    String name = "big._domainkey.example.com";
    Message udp = dns.query(name, Type.TXT, false, Duration.ofSeconds(2));
    assertThat(udp.getHeader().getFlag(Flags.TC)).as("TC over UDP").isTrue();
    assertThat(udp.getSection(Section.ANSWER)).isEmpty();
    Message tcp = dns.query(name, Type.TXT, true, Duration.ofSeconds(2));
    assertThat(tcp.getRcode()).isEqualTo(Rcode.NOERROR);
    assertThat(tcp.toWire().length).isGreaterThan(1232);
    assertThat(texts(lookup(name))).containsExactly(big());
    assertThat(verify("big", direct()).result()).isEqualTo(DkimResult.PASS);
  }

  /** DNSTimeout bounds the whole lookup; through the verifier a timeout is a TEMPERROR. */
  @Test
  void aSilentServerIsATempFailWithinDnsTimeout() throws Exception {
    try (AuthoritativeDns silent =
        AuthoritativeDns.start(
            Map.of("example.com", "plain._domainkey TXT " + quoted("v=DKIM1; p=AB")))) {
      KeyRecordLookup lookup = configured(List.of(silent.address()), 1);
      assertThat(texts(lookup(lookup, "plain._domainkey.example.com"))).hasSize(1);
      silent.pause();
      long start = System.nanoTime();
      KeyLookupResult r = lookup(lookup, "plain._domainkey.example.com");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(r).isInstanceOf(KeyLookupResult.TempFail.class);
      assertThat(((KeyLookupResult.TempFail) r).reason()).contains("plain._domainkey.example.com");
      assertThat(millis).as("answered after %d ms", millis).isBetween(900L, 1500L);
      start = System.nanoTime();
      VerificationResult v = verify("plain", lookup);
      millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(v.result()).isEqualTo(DkimResult.TEMPERROR);
      assertThat(millis).as("verified after %d ms", millis).isLessThan(1500L);
      silent.resume();
      assertThat(texts(lookup(lookup, "plain._domainkey.example.com"))).hasSize(1);
    }
  }

  /** The configured On-DNSError action decides a message whose key lookup timed out. */
  @Test
  void onDnsErrorDecidesATimedOutLookup() throws Exception {
    try (AuthoritativeDns silent =
        AuthoritativeDns.start(
            Map.of(
                "example.com",
                "plain._domainkey TXT " + quoted(SignedMessages.record(SignedMessages.RSA))))) {
      silent.pause();
      String ns = "Nameservers 127.0.0.1:" + silent.port() + "\nDNSTimeout 1\n";
      assertThat(SignedMessages.throughMilter(ns + "On-DNSError reject\n", "plain"))
          .last()
          .isEqualTo(new MilterReply.Reject());
      List<MilterReply> accepted =
          SignedMessages.throughMilter(ns + "On-DNSError accept\n", "plain");
      assertThat(accepted).last().isEqualTo(new MilterReply.Accept());
      assertThat(SignedMessages.authenticationResults(accepted)).contains("dkim=temperror");
      assertThat(SignedMessages.throughMilter(ns, "plain"))
          .last()
          .isEqualTo(new MilterReply.Tempfail());
    }
  }

  /** A lost query is retried within DNSTimeout: the first datagram is dropped on its way. */
  @Test
  void aLostQueryIsRetried() throws Exception {
    try (AuthoritativeDnsProxy lossy =
        AuthoritativeDnsProxy.start(dns.address(), 1, Duration.ZERO)) {
      KeyRecordLookup lookup = configured(List.of(lossy.address()), 2);
      long start = System.nanoTime();
      KeyLookupResult r = lookup(lookup, "plain._domainkey.example.com");
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(texts(r)).containsExactly(SignedMessages.record(SignedMessages.RSA));
      assertThat(lossy.queries()).isEqualTo(2);
      assertThat(millis).as("answered after %d ms", millis).isBetween(900L, 1500L);
    }
  }

  /** With a dead server first or second in Nameservers, the live one answers within DNSTimeout. */
  @Test
  void aDeadServerIsPassedOver() throws Exception {
    try (AuthoritativeDnsProxy dead =
        AuthoritativeDnsProxy.start(dns.address(), Integer.MAX_VALUE, Duration.ZERO)) {
      for (int round = 0; round < 4; round++) {
        List<InetSocketAddress> servers =
            round % 2 == 0
                ? List.of(dead.address(), dns.address())
                : List.of(dns.address(), dead.address());
        KeyRecordLookup lookup = configured(servers, 2);
        long start = System.nanoTime();
        KeyLookupResult r = lookup(lookup, "plain._domainkey.example.com");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(texts(r)).hasSize(1);
        assertThat(millis).as("answered after %d ms", millis).isLessThan(1500L);
      }
    }
  }
}
