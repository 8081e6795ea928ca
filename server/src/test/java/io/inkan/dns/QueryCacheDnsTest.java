package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimResult;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.testing.AuthoritativeDns;
import io.inkan.testing.AuthoritativeDnsProxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query-cache chain against a real authoritative server (Knot DNS, {@link AuthoritativeDns})
 * behind a counting relay ({@link AuthoritativeDnsProxy}): single flight, RFC 2308 negative TTLs,
 * brief caching of temporary failures, and a JE layer that outlives its chain.
 */
class QueryCacheDnsTest {
  private static AuthoritativeDns dns;

  private AuthoritativeDnsProxy proxy;
  private Path dir;
  private final List<KeyLookupChain> chains = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    AuthoritativeDns.require(); // before the keys of SignedMessages are made
    String soaHead = "$TTL 300\n@ NS ns\nns A 127.0.0.1\n";
    dns =
        AuthoritativeDns.start(
            Map.of(
                "example.com",
                String.join(
                    "\n",
                    "plain._domainkey 300 TXT "
                        + RealDnsLookupTest.quoted(SignedMessages.record(SignedMessages.RSA)),
                    "flight._domainkey 300 TXT "
                        + RealDnsLookupTest.quoted(SignedMessages.record(SignedMessages.RSA))),
                // SOA MINIMUM 2 below the SOA's TTL: negative answers live 2 s (RFC 2308 §5)
                "neg.example",
                soaHead
                    + "@ SOA ns hostmaster 1 3600 600 86400 2\n"
                    + "nodata._domainkey A 192.0.2.1",
                // the SOA's own TTL below MINIMUM: that TTL wins
                "low.example",
                soaHead + "@ 3 SOA ns hostmaster 1 3600 600 86400 600"));
  }

  @AfterAll
  static void stop() {
    if (dns != null) {
      dns.close();
    }
  }

  @BeforeEach
  void relay() throws Exception {
    proxy = AuthoritativeDnsProxy.start(dns.address(), 0, Duration.ZERO);
    dir = Files.createTempDirectory("inkan-qc");
  }

  @AfterEach
  void cleanUp() throws Exception {
    chains.forEach(KeyLookupChain::close);
    if (proxy != null) {
      proxy.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private KeyLookupChain chain(
      AuthoritativeDnsProxy via, boolean memory, String backend, int tempFailTtl) throws Exception {
    return chain(via, 2, memory, backend, tempFailTtl);
  }

  private KeyLookupChain chain(
      AuthoritativeDnsProxy via, int dnsTimeout, boolean memory, String backend, int tempFailTtl)
      throws Exception {
    KeyLookupChain chain =
        KeyRecordLookups.from(
            ChainSettings.dns(
                via.address(),
                dnsTimeout,
                memory,
                ChainSettings.cache(backend, null, 100, 300, tempFailTtl)));
    chains.add(chain);
    return chain;
  }

  private static KeyLookupResult lookup(KeyLookupChain chain, String name) {
    return chain.lookup(name).toCompletableFuture().join();
  }

  /**
   * A thousand verifications of mail from one new domain, all started while the DNS answer is held
   * up for 3 s, make one query at the server; all pass.
   */
  @Test
  void aThousandConcurrentVerificationsMakeOneQuery() throws Exception {
    try (AuthoritativeDnsProxy slow =
        AuthoritativeDnsProxy.start(dns.address(), 0, Duration.ofSeconds(3))) {
      // DNSTimeout 10: 5 s per try, so the held query is not retried
      KeyLookupChain chain = chain(slow, 10, true, "bdb:" + dir.resolve("je"), 5);
      byte[] message = SignedMessages.signed("flight");
      DkimVerifier verifier = new DkimVerifier(VerifierSettings.defaults(), chain);
      List<VerificationSession> sessions = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        VerificationSession session = verifier.newSession();
        MessageParser parser = new MessageParser(session);
        parser.update(message, 0, message.length);
        parser.finish();
        sessions.add(session);
      }
      List<CompletableFuture<List<VerificationResult>>> results = new ArrayList<>();
      for (VerificationSession s : sessions) {
        results.add(s.finish(Runnable::run).toCompletableFuture());
      }
      assertThat(results).as("all waiting for the one answer").noneMatch(CompletableFuture::isDone);
      for (CompletableFuture<List<VerificationResult>> r : results) {
        assertThat(r.get(10, TimeUnit.SECONDS))
            .singleElement()
            .extracting(VerificationResult::result)
            .isEqualTo(DkimResult.PASS);
      }
      assertThat(slow.queries()).isEqualTo(1);
      assertThat(chain.layerStats().get("bdb").queries()).isEqualTo(1);
      assertThat(chain.layerStats().get("memory").queries()).isEqualTo(1000);
    }
  }

  /** Without the in-process layer, single flight still stands in front of the shared one. */
  @Test
  void singleFlightAlsoGuardsASharedLayerAlone() throws Exception {
    try (AuthoritativeDnsProxy slow =
        AuthoritativeDnsProxy.start(dns.address(), 0, Duration.ofMillis(300))) {
      KeyLookupChain chain = chain(slow, false, "bdb:" + dir.resolve("je"), 5);
      List<CompletableFuture<KeyLookupResult>> all = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        all.add(chain.lookup("plain._domainkey.example.com").toCompletableFuture());
      }
      for (CompletableFuture<KeyLookupResult> f : all) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isInstanceOf(KeyLookupResult.Found.class);
      }
      assertThat(slow.queries()).isEqualTo(1);
    }
  }

  /** RFC 2308 §5: the lower of the SOA's TTL and its MINIMUM, from the authority section. */
  @Test
  void negativeAnswersCarryTheSoasNegativeTtl() {
    KeyRecordLookupAssert direct = new KeyRecordLookupAssert();
    assertThat(direct.lookup("gone._domainkey.neg.example"))
        .isEqualTo(new KeyLookupResult.NxDomain(OptionalLong.of(2)));
    assertThat(direct.lookup("nodata._domainkey.neg.example"))
        .isEqualTo(new KeyLookupResult.NoData(OptionalLong.of(2)));
    assertThat(direct.lookup("gone._domainkey.low.example"))
        .isEqualTo(new KeyLookupResult.NxDomain(OptionalLong.of(3)));
  }

  private static final class KeyRecordLookupAssert {
    private final DnsKeyRecordLookup direct =
        DnsKeyRecordLookup.servers(List.of(dns.address()), Duration.ofSeconds(2));

    KeyLookupResult lookup(String name) {
      return direct.lookup(name).toCompletableFuture().join();
    }
  }

  @Test
  void aCachedNegativeAnswerExpiresWithTheSoaTtl() throws Exception {
    KeyLookupChain chain = chain(proxy, true, null, 5);
    assertThat(lookup(chain, "gone._domainkey.neg.example"))
        .isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(lookup(chain, "nodata._domainkey.neg.example"))
        .isInstanceOf(KeyLookupResult.NoData.class);
    assertThat(proxy.queries()).isEqualTo(2);
    Thread.sleep(1000);
    assertThat(lookup(chain, "gone._domainkey.neg.example"))
        .isInstanceOfSatisfying(
            KeyLookupResult.NxDomain.class, nx -> assertThat(nx.ttl()).hasValue(1));
    lookup(chain, "nodata._domainkey.neg.example");
    assertThat(proxy.queries()).isEqualTo(2);
    Thread.sleep(1100);
    lookup(chain, "gone._domainkey.neg.example");
    lookup(chain, "nodata._domainkey.neg.example");
    assertThat(proxy.queries()).isEqualTo(4);
  }

  /** A server that refuses (a temporary failure) is asked again only after the TempFail TTL. */
  @Test
  void aTemporaryFailureIsCachedOnlyBriefly() throws Exception {
    KeyLookupChain chain = chain(proxy, true, null, 2);
    String refused = "sel._domainkey.example.org"; // a zone this server does not serve
    assertThat(lookup(chain, refused)).isInstanceOf(KeyLookupResult.TempFail.class);
    int asked = proxy.queries();
    assertThat(asked).isPositive();
    assertThat(lookup(chain, refused)).isInstanceOf(KeyLookupResult.TempFail.class);
    assertThat(proxy.queries()).isEqualTo(asked);
    Thread.sleep(2100);
    assertThat(lookup(chain, refused)).isInstanceOf(KeyLookupResult.TempFail.class);
    assertThat(proxy.queries()).isEqualTo(2 * asked);

    KeyLookupChain never = chain(proxy, true, null, 0);
    lookup(never, refused);
    lookup(never, refused);
    assertThat(proxy.queries()).isEqualTo(4 * asked);
  }

  /** Inkan restarts: the JE layer answers from disk, and what expired meanwhile is asked again. */
  @Test
  void theJeLayerSurvivesARestartOfTheChain() throws Exception {
    String backend = "bdb:" + dir.resolve("je");
    KeyLookupChain first = chain(proxy, true, backend, 5);
    assertThat(lookup(first, "plain._domainkey.example.com"))
        .isInstanceOf(KeyLookupResult.Found.class);
    assertThat(lookup(first, "gone._domainkey.neg.example"))
        .isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(proxy.queries()).isEqualTo(2);
    first.close();

    KeyLookupChain second = chain(proxy, true, backend, 5);
    KeyLookupResult again = lookup(second, "plain._domainkey.example.com");
    assertThat(again).isInstanceOf(KeyLookupResult.Found.class);
    assertThat(((KeyLookupResult.Found) again).records().get(0).text())
        .isEqualTo(SignedMessages.record(SignedMessages.RSA));
    assertThat(proxy.queries()).isEqualTo(2);
    assertThat(second.layerStats().get("bdb").hits()).isEqualTo(1);
    Thread.sleep(2100); // the NXDOMAIN's 2 s are over
    assertThat(lookup(second, "gone._domainkey.neg.example"))
        .isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(proxy.queries()).isEqualTo(3);
  }

  /**
   * A reload builds the new chain before the old one is closed: both use the one open JE
   * environment, which stays open until the last of them closes.
   */
  @Test
  void overlappingChainsShareOneJeEnvironment() throws Exception {
    String backend = "bdb:" + dir.resolve("je");
    KeyLookupChain old = chain(proxy, false, backend, 5);
    lookup(old, "plain._domainkey.example.com");
    KeyLookupChain reloaded = chain(proxy, false, backend, 5);
    old.close();
    assertThat(lookup(reloaded, "plain._domainkey.example.com"))
        .isInstanceOf(KeyLookupResult.Found.class);
    assertThat(proxy.queries()).isEqualTo(1);
    reloaded.close();
    KeyLookupChain restarted = chain(proxy, false, backend, 5);
    lookup(restarted, "plain._domainkey.example.com");
    assertThat(proxy.queries()).isEqualTo(1);
  }
}
