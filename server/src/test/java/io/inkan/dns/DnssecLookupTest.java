package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.config.DnsSettings;
import io.inkan.config.DnsSettings.Located;
import io.inkan.config.DnsSettings.QueryCacheSettings;
import io.inkan.config.Nameserver;
import io.inkan.dkim.DkimResult;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.VerificationResult;
import io.inkan.testing.AuthoritativeDns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * DNSSEC validation of key records ({@code TrustAnchorFile}) against a real authoritative server
 * that signs its zones itself (Knot DNS, see {@link AuthoritativeDns#startSigned}): dnsjava's
 * validating resolver asks it for DNSKEY and DS records and checks the chain from the anchor.
 */
class DnssecLookupTest {
  private static final String KEY =
      RealDnsLookupTest.quoted(SignedMessages.record(SignedMessages.RSA));
  private static AuthoritativeDns dns;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    AuthoritativeDns.require(); // before the keys of SignedMessages are made
    dns =
        AuthoritativeDns.startSigned(
            Map.of(
                "example.com",
                String.join(
                    "\n",
                    "plain._domainkey 120 TXT " + KEY,
                    "alias._domainkey CNAME plain._domainkey",
                    "insecure NS ns.insecure",
                    "ns.insecure A 127.0.0.1"),
                "insecure.example.com",
                "plain._domainkey TXT " + KEY,
                "example.net",
                "plain._domainkey TXT " + KEY,
                "example.org",
                "plain._domainkey TXT " + KEY),
            Set.of("example.com", "example.org"));
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
  }

  private Path anchorFile(String text) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "anchor", ".key"), text);
  }

  /** The server alone, validating against {@code anchorText}, with a 5 s budget. */
  private DnsKeyRecordLookup validating(String anchorText) throws IOException {
    return DnsKeyRecordLookup.servers(
        List.of(dns.address()),
        Duration.ofSeconds(5),
        Optional.of(TrustAnchors.load(anchorFile(anchorText))));
  }

  private static DnsKeyRecordLookup.Checked lookup(DnsKeyRecordLookup lookup, String name) {
    return lookup.lookupChecked(name).toCompletableFuture().join();
  }

  private static boolean secure(KeyLookupResult r) {
    assertThat(r).isInstanceOf(KeyLookupResult.Found.class);
    return ((KeyLookupResult.Found) r).dnssecSecure();
  }

  @Test
  void theSignedZoneWithItsAnchorIsSecure() throws Exception {
    for (boolean asDs : List.of(true, false)) {
      DnsKeyRecordLookup lookup = validating(dns.trustAnchor("example.com", asDs));
      assertThat(lookup.validates()).isTrue();
      DnsKeyRecordLookup.Checked c = lookup(lookup, "plain._domainkey.example.com");
      assertThat(c.dnssec()).as("DS anchor: " + asDs).isEqualTo(DnssecStatus.SECURE);
      assertThat(secure(c.result())).isTrue();
      assertThat(((KeyLookupResult.Found) c.result()).records().get(0).ttl()).hasValue(120);
      // Through a CNAME: both hops validated.
      assertThat(lookup(lookup, "alias._domainkey.example.com").dnssec())
          .isEqualTo(DnssecStatus.SECURE);
    }
    VerificationResult v =
        SignedMessages.verify(
            SignedMessages.signed("plain"), validating(dns.trustAnchor("example.com", true)));
    assertThat(v.result()).isEqualTo(DkimResult.PASS);
    assertThat(v.dnssecSecure()).isTrue();
  }

  /** A validated denial of existence is a validated NXDOMAIN, not a failure. */
  @Test
  void aSignedDenialIsStillKeyNotFound() throws Exception {
    DnsKeyRecordLookup lookup = validating(dns.trustAnchor("example.com", true));
    DnsKeyRecordLookup.Checked c = lookup(lookup, "missing._domainkey.example.com");
    assertThat(c.result()).isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(c.dnssec()).isEqualTo(DnssecStatus.SECURE);
  }

  /** Below a signed parent without a DS (an insecure delegation proven by NSEC): usable. */
  @Test
  void anInsecureDelegationIsUsableButNotSecure() throws Exception {
    DnsKeyRecordLookup lookup = validating(dns.trustAnchor("example.com", true));
    DnsKeyRecordLookup.Checked c = lookup(lookup, "plain._domainkey.insecure.example.com");
    assertThat(c.dnssec()).isEqualTo(DnssecStatus.INSECURE);
    assertThat(secure(c.result())).isFalse();
    VerificationResult v =
        SignedMessages.verify(
            SignedMessages.signed("plain"), validating(dns.trustAnchor("example.org", true)));
    // example.com is outside example.org's anchor: insecure, still a pass.
    assertThat(v.result()).isEqualTo(DkimResult.PASS);
    assertThat(v.dnssecSecure()).isFalse();
  }

  @Test
  void aNameOutsideEveryAnchorIsInsecure() throws Exception {
    DnsKeyRecordLookup.Checked c =
        lookup(validating(dns.trustAnchor("example.com", true)), "plain._domainkey.example.net");
    assertThat(c.dnssec()).isEqualTo(DnssecStatus.INSECURE);
    assertThat(secure(c.result())).isFalse();
  }

  /** An anchor naming a key the zone does not have: bogus, so no key (as OpenDKIM). */
  @Test
  void anAnchorForAnotherKeyMakesTheAnswerBogus() throws Exception {
    StringBuilder wrong = new StringBuilder();
    for (DNSKEYRecord k : dns.dnskeys("example.org")) {
      wrong
          .append(
              new DNSKEYRecord(
                  Name.fromString("example.com."),
                  DClass.IN,
                  3600,
                  k.getFlags(),
                  k.getProtocol(),
                  k.getAlgorithm(),
                  k.getKey()))
          .append('\n');
    }
    DnsKeyRecordLookup.Checked c =
        lookup(validating(wrong.toString()), "plain._domainkey.example.com");
    assertBogus(c);
    // An anchor for a zone that is not signed at all is as bogus.
    String unsignedAnchor =
        dns.trustAnchor("example.com", true).replace("example.com.", "example.net.");
    assertBogus(lookup(validating(unsignedAnchor), "plain._domainkey.example.net"));
  }

  private static void assertBogus(DnsKeyRecordLookup.Checked c) {
    assertThat(c.dnssec()).isEqualTo(DnssecStatus.BOGUS);
    assertThat(c.bogusReason()).isPresent();
    assertThat(c.result())
        .isEqualTo(new KeyLookupResult.NoData(OptionalLong.of(DnsKeyRecordLookup.BOGUS_TTL)));
  }

  /** A key record changed on the way (its RRSIG kept): the signature no longer verifies. */
  @Test
  void aTamperedAnswerIsBogus() throws Exception {
    SimpleResolver server = new SimpleResolver(dns.address());
    server.setTimeout(Duration.ofSeconds(2));
    DnsKeyRecordLookup lookup =
        DnsKeyRecordLookup.over(
            new Tampering(server),
            Duration.ofSeconds(5),
            Optional.of(TrustAnchors.load(anchorFile(dns.trustAnchor("example.com", true)))));
    DnsKeyRecordLookup.Checked c = lookup(lookup, "plain._domainkey.example.com");
    assertBogus(c);
    VerificationResult v = SignedMessages.verify(SignedMessages.signed("plain"), lookup);
    assertThat(v.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(v.keyNotFound()).isTrue();
  }

  /** The configured chain (TrustAnchorFile, QueryCache yes): the flag survives the cache. */
  @Test
  void theFlagSurvivesTheInProcessCache() throws Exception {
    Path anchor = anchorFile(dns.trustAnchor("example.com", true));
    DnsSettings settings =
        new DnsSettings(
            List.of(new Nameserver("127.0.0.1", dns.port())),
            5,
            Optional.empty(),
            Optional.empty(),
            true,
            QueryCacheSettings.DEFAULTS,
            Optional.of(new Located<>(anchor, "t.conf", 3)));
    try (KeyLookupChain chain = KeyRecordLookups.from(settings)) {
      for (int i = 0; i < 2; i++) {
        KeyLookupResult r =
            chain.lookup("plain._domainkey.example.com").toCompletableFuture().join();
        assertThat(secure(r)).isTrue();
        assertThat(
                secure(chain.lookup("plain._domainkey.example.net").toCompletableFuture().join()))
            .isFalse();
      }
      assertThat(chain.layerStats().get("memory").hits()).isEqualTo(2);
    }
  }

  @Test
  void anUnusableAnchorFileIsNamedWithItsLine() throws Exception {
    Path empty = anchorFile("; nothing\n");
    DnsSettings settings =
        new DnsSettings(
            List.of(new Nameserver("127.0.0.1", dns.port())),
            5,
            Optional.empty(),
            Optional.empty(),
            false,
            QueryCacheSettings.DEFAULTS,
            Optional.of(new Located<>(empty, "t.conf", 3)));
    assertThatThrownBy(() -> KeyRecordLookups.check(settings))
        .hasMessageContaining("t.conf:3: TrustAnchorFile: ")
        .hasMessageContaining("no DS or DNSKEY record");
    Path garbage = anchorFile("example.com. IN DS not-a-number\n");
    assertThatThrownBy(() -> TrustAnchors.load(garbage)).hasMessageContaining(garbage.toString());
    assertThatThrownBy(() -> TrustAnchors.load(dir.resolve("absent")))
        .hasMessageContaining("cannot read it");
  }

  /** {@code inkan testkey -v --trust-anchor} and {@code inkan verify --json --trust-anchor}. */
  @Test
  void theCommandsSayWhetherTheKeyIsSecure() throws Exception {
    String anchor = anchorFile(dns.trustAnchor("example.com", true)).toString();
    String ns = "127.0.0.1:" + dns.port();
    assertThat(
            inkan(
                new byte[0],
                "testkey",
                "-v",
                "-d",
                "example.com",
                "-s",
                "plain",
                "--nameserver",
                ns,
                "--trust-anchor",
                anchor))
        .contains("record OK")
        .contains("DNSSEC: secure");
    assertThat(
            inkan(
                new byte[0],
                "testkey",
                "-v",
                "-d",
                "insecure.example.com",
                "-s",
                "plain",
                "--nameserver",
                ns,
                "--trust-anchor",
                anchor))
        .contains("record OK")
        .contains("DNSSEC: insecure");
    String wrong =
        anchorFile(dns.trustAnchor("example.org", true).replace("example.org.", "example.com."))
            .toString();
    assertThat(
            inkan(
                new byte[0],
                "testkey",
                "-d",
                "example.com",
                "-s",
                "plain",
                "--nameserver",
                ns,
                "--trust-anchor",
                wrong))
        .contains("DNSSEC: bogus");
    assertThat(
            inkan(
                SignedMessages.signed("plain"),
                "verify",
                "--json",
                "--nameserver",
                ns,
                "--trust-anchor",
                anchor))
        .contains("\"dnssecSecure\":true");
  }

  /** What {@code inkan ARGS} prints on stdout, {@code in} as its stdin. */
  private static String inkan(byte[] in, String... args) {
    java.io.PrintStream out = System.out;
    java.io.InputStream stdin = System.in;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    try {
      System.setOut(
          new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
      System.setIn(new java.io.ByteArrayInputStream(in));
      io.inkan.cli.InkanMain.run(args);
    } finally {
      System.setOut(out);
      System.setIn(stdin);
    }
    return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Replaces the text of every TXT record in answers, leaving the RRSIGs as they were. */
  private static final class Tampering extends NotingResolver {
    Tampering(Resolver delegate) {
      super(delegate);
    }

    @Override
    Message note(Message m) {
      for (Record r : List.copyOf(m.getSection(Section.ANSWER))) {
        if (r.getType() == Type.TXT) {
          m.removeRecord(r, Section.ANSWER);
          m.addRecord(
              new TXTRecord(r.getName(), r.getDClass(), r.getTTL(), "v=DKIM1; p=forged"),
              Section.ANSWER);
        }
      }
      return m;
    }
  }
}
