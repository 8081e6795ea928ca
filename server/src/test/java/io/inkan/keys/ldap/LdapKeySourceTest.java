package io.inkan.keys.ldap;

import static io.inkan.keys.ldap.Sources.AT;
import static io.inkan.keys.ldap.Sources.options;
import static io.inkan.keys.ldap.Sources.selectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.keys.DomainKeySource.DirectoryKey;
import io.inkan.keys.ldap.Sources.ManualTime;
import io.inkan.testing.Slapd;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The key source against UnboundID's in-memory directory (which offers neither push: polling). */
class LdapKeySourceTest {
  private static final Duration HIT = Duration.ofMinutes(5);
  private static final Duration MISS = Duration.ofMinutes(1);

  private final ManualTime time = new ManualTime();
  private InMemoryKeyTree ldap;
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ldap = InMemoryKeyTree.start();
    ldap.add(KeyLdif.domain("example.com"));
    ldap.add(
        KeyLdif.key(
            "example.com",
            "rsa2026",
            KeyLdif.RSA.privateKeyPem(),
            "DKIMIdentity: @example.com",
            "inkanDkimAlgorithm: rsa-sha256"));
    ldap.add(
        KeyLdif.key(
            "example.com",
            "ed2026",
            KeyLdif.ED25519.privateKeyPem(),
            "inkanDkimAlgorithm: ed25519-sha256",
            "inkanDkimCanonicalization: relaxed/relaxed",
            "inkanDkimSignedHeaders: from,to,subject,date",
            "inkanDkimOversignedHeaders: from",
            "inkanDkimSignatureTtl: 86400"));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    ldap.close();
  }

  private LdapKeySource source(DataSetOptions options, Duration poll) throws DataSetException {
    LdapKeySource s =
        LdapKeySource.builder(ldap.url(), AT, options)
            .clock(time)
            .nanoTime(time::nanoTime)
            .pollInterval(poll)
            .open();
    open.add(s);
    return s;
  }

  /** Cached, with a poll interval that keeps the feed quiet after its first poll. */
  private LdapKeySource quietSource() throws Exception {
    LdapKeySource s = source(options(Duration.ofSeconds(2), HIT, MISS, false), Duration.ofHours(1));
    Sources.awaitFeed(s);
    return s;
  }

  private LdapKeySource uncached() throws DataSetException {
    return source(
        options(Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, false), Duration.ofHours(1));
  }

  @Test
  void dualRsaAndEd25519KeysBothSignInDnOrderWithTheirOptions() throws Exception {
    LdapKeySource source = quietSource();
    List<DirectoryKey> keys = source.keysFor("example.com");
    assertThat(selectors(keys)).containsExactly("ed2026", "rsa2026");
    DirectoryKey ed = keys.get(0);
    DirectoryKey rsa = keys.get(1);
    assertThat(ed.key().algorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
    assertThat(ed.key().domain()).isEqualTo("example.com");
    assertThat(ed.key().key().publicKey()).isEqualTo(KeyLdif.ED25519.key().publicKey());
    assertThat(ed.options().canonicalization()).hasValue("relaxed/relaxed");
    assertThat(ed.options().signedHeaders()).hasValue(List.of("from", "to", "subject", "date"));
    assertThat(ed.options().oversignedHeaders()).hasValue(List.of("from"));
    assertThat(ed.options().signatureTtlSeconds()).hasValue(86400);
    assertThat(ed.identity()).isEmpty();
    assertThat(ed.source()).isEqualTo(KeyLdif.keyDn("example.com", "ed2026"));
    assertThat(rsa.key().algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
    assertThat(rsa.key().key().publicKey()).isEqualTo(KeyLdif.RSA.key().publicKey());
    assertThat(rsa.identity()).hasValue("@example.com");
    assertThat(rsa.options().canonicalization()).isEmpty();
    assertThat(source.keysFor("EXAMPLE.com.")).isEqualTo(keys);
  }

  @Test
  void onlyActiveEntriesSign() throws Exception {
    ldap.modify(KeyLdif.replace("example.com", "rsa2026", "inkanDkimActive", "FALSE"));
    ldap.modify(KeyLdif.replace("example.com", "ed2026", "inkanDkimActive", "TRUE"));
    assertThat(selectors(uncached().keysFor("example.com"))).containsExactly("ed2026");
  }

  @Test
  void validityWindowsAreCheckedAtEveryUseEvenWhenCached() throws Exception {
    ldap.modify(KeyLdif.replace("example.com", "rsa2026", "inkanDkimNotAfter", "20260601120000Z"));
    ldap.modify(KeyLdif.replace("example.com", "ed2026", "inkanDkimNotBefore", "20260601060000Z"));
    LdapKeySource source = quietSource();
    assertThat(selectors(source.keysFor("example.com"))).containsExactly("rsa2026");
    int searches = ldap.keySearches.get();
    ldap.stopListening(); // from now on only the cache answers
    time.set(Instant.parse("2026-06-01T06:00:00Z"));
    assertThat(selectors(source.keysFor("example.com"))).containsExactly("ed2026", "rsa2026");
    time.set(Instant.parse("2026-06-01T12:00:00Z"));
    assertThat(selectors(source.keysFor("example.com"))).containsExactly("ed2026");
    assertThat(ldap.keySearches.get()).isEqualTo(searches);
  }

  @Test
  void unknownDomainsAndDomainsWithoutKeysHaveNone() throws Exception {
    ldap.add(KeyLdif.domain("empty.example.org"));
    LdapKeySource source = quietSource();
    assertThat(source.keysFor("example.net")).isEmpty();
    assertThat(source.keysFor("empty.example.org")).isEmpty();
    assertThat(source.keysFor("example.org")).isEmpty(); // the dc= entry only
    assertThat(source.keysFor("com")).isEmpty();
  }

  @Test
  void injectionLookingDomainsFindNothingAndNeverQueryTheDirectory() throws Exception {
    ldap.add(KeyLdif.domain("evil.com"));
    ldap.add(KeyLdif.key("evil.com", "x", KeyLdif.RSA.privateKeyPem()));
    LdapKeySource source = uncached();
    int before = ldap.keySearches.get();
    for (String d :
        List.of(
            "*)(uid=*",
            "*",
            "example.com,dc=evil",
            "evil,dc=com",
            "x,dc=evil.com",
            "example.com)(objectClass=*",
            "example.com\u0000",
            "dc=example,dc=com")) {
      assertThat(source.keysFor(d)).as(d).isEmpty();
    }
    assertThat(ldap.keySearches.get()).isEqualTo(before);
    assertThat(selectors(source.keysFor("evil.com"))).containsExactly("x");
  }

  @Test
  void unusableEntriesAreSkippedAndLoggedOncePerDnWithoutKeyBytes() throws Exception {
    String pem = KeyLdif.RSA.privateKeyPem();
    String broken = pem.substring(0, 300) + "%%%%" + pem.substring(304);
    ldap.add(KeyLdif.key("example.com", "broken", broken));
    ldap.add(KeyLdif.key("example.com", "mismatch", pem, "inkanDkimAlgorithm: ed25519-sha256"));
    try (LogCapture log = new LogCapture()) {
      LdapKeySource source = uncached();
      for (int i = 0; i < 3; i++) {
        assertThat(selectors(source.keysFor("example.com"))).containsExactly("ed2026", "rsa2026");
      }
      List<String> errors = log.at(Level.ERROR);
      assertThat(errors).hasSize(2);
      assertThat(errors)
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains(KeyLdif.keyDn("example.com", "broken"))
                      .contains("not usable"))
          .anySatisfy(
              e ->
                  assertThat(e)
                      .contains(KeyLdif.keyDn("example.com", "mismatch"))
                      .contains("does not fit its RSA key"));
      String text = log.text();
      for (String line : pem.split("\n")) {
        if (!line.startsWith("-----")) {
          assertThat(text).doesNotContain(line);
        }
      }
    }
  }

  @Test
  void entriesMissingAttributesAreSkippedAndLogged() throws Exception {
    try (InMemoryKeyTree loose = InMemoryKeyTree.startWithoutSchema();
        LogCapture log = new LogCapture()) {
      loose.add(KeyLdif.domain("example.com"));
      loose.add(KeyLdif.key("example.com", "good", KeyLdif.ED25519.privateKeyPem()));
      loose.add(
          "dn: DKIMSelector=nokey,"
              + KeyLdif.domainDn("example.com")
              + "\nobjectClass: DKIM\nDKIMSelector: nokey\n");
      loose.add(
          "dn: cn=noselector,"
              + KeyLdif.domainDn("example.com")
              + "\nobjectClass: DKIM\ncn: noselector\nDKIMKey: "
              + KeyLdif.ED25519.privateKeyPem().replace("\n", "")
              + "\n");
      LdapKeySource source =
          LdapKeySource.builder(
                  loose.url(),
                  AT,
                  options(Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, false))
              .open();
      open.add(source);
      assertThat(selectors(source.keysFor("example.com"))).containsExactly("good");
      assertThat(selectors(source.keysFor("example.com"))).containsExactly("good");
      assertThat(log.at(Level.ERROR))
          .hasSize(2)
          .anySatisfy(e -> assertThat(e).contains("DKIMSelector=nokey").endsWith("no DKIMKey"))
          .anySatisfy(e -> assertThat(e).contains("cn=noselector").endsWith("no DKIMSelector"));
    }
  }

  @Test
  void answersAreCachedForTheTtlAndMissesForTheNegativeTtl() throws Exception {
    LdapKeySource source = quietSource();
    assertThat(source.keysFor("example.com")).hasSize(2);
    assertThat(source.keysFor("example.net")).isEmpty();
    int searches = ldap.keySearches.get();
    ldap.delete(KeyLdif.keyDn("example.com", "rsa2026"));
    ldap.add(KeyLdif.domain("example.net"));
    ldap.add(KeyLdif.key("example.net", "n1", KeyLdif.ED25519.privateKeyPem()));
    time.advance(MISS.minusMillis(1));
    assertThat(source.keysFor("example.com")).hasSize(2);
    assertThat(source.keysFor("example.net")).isEmpty();
    assertThat(ldap.keySearches.get()).isEqualTo(searches);
    time.advance(Duration.ofMillis(1));
    assertThat(selectors(source.keysFor("example.net"))).containsExactly("n1");
    time.advance(HIT);
    assertThat(selectors(source.keysFor("example.com"))).containsExactly("ed2026");
    assertThat(ldap.keySearches.get()).isEqualTo(searches + 2);
    source.dropCache();
    source.keysFor("example.com");
    assertThat(ldap.keySearches.get()).isEqualTo(searches + 3);
  }

  @Test
  void concurrentMissesOfOneDomainMakeOneSearch() throws Exception {
    LdapKeySource source = quietSource();
    ldap.searchDelayMillis = 300;
    int before = ldap.keySearches.get();
    ExecutorService pool = Executors.newFixedThreadPool(20);
    try {
      List<Future<List<DirectoryKey>>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(pool.submit(() -> source.keysFor("example.com")));
      }
      for (Future<List<DirectoryKey>> f : answers) {
        assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(2);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(ldap.keySearches.get()).isEqualTo(before + 1);
  }

  @Test
  void anUnreachableDirectoryServesTheCacheUntilTheTtlThenFails() throws Exception {
    LdapKeySource source = quietSource();
    assertThat(source.keysFor("example.com")).hasSize(2);
    ldap.stopListening();
    time.advance(HIT.minusMillis(1));
    assertThat(source.keysFor("example.com")).hasSize(2);
    time.advance(Duration.ofMillis(1));
    assertThatThrownBy(() -> source.keysFor("example.com"))
        .isInstanceOf(DataSetUnavailableException.class)
        .hasMessageContaining("inkan.conf:9")
        .hasMessageContaining("example.com");
    assertThatThrownBy(() -> source.keysFor("example.net"))
        .isInstanceOf(DataSetUnavailableException.class);
  }

  @Test
  void pollingPushesChangesWhereTheDirectoryHasNoPush() throws Exception {
    LdapKeySource source =
        source(options(Duration.ofSeconds(2), HIT, MISS, false), Duration.ofMillis(200));
    Sources.awaitFeed(source);
    assertThat(source.feed().orElseThrow().mode()).isEqualTo(ChangeFeed.Mode.POLLING);
    assertThat(source.keysFor("example.com")).hasSize(2);
    ldap.modify(KeyLdif.replace("example.com", "rsa2026", "inkanDkimActive", "FALSE"));
    Duration d =
        Sources.until(
            source,
            "example.com",
            k -> selectors(k).equals(List.of("ed2026")),
            Duration.ofSeconds(5));
    ldap.add(KeyLdif.key("example.com", "new", KeyLdif.RSA.privateKeyPem()));
    Duration added =
        Sources.until(source, "example.com", k -> k.size() == 2, Duration.ofSeconds(5));
    System.out.printf(
        "in-memory polling every 200 ms: modify seen after %d ms, add after %d ms%n",
        d.toMillis(), added.toMillis());
  }

  @Test
  void openChecksTheUrlsAndTheBase() throws Exception {
    DataSetOptions o = options();
    String server = "ldap://127.0.0.1:" + ldap.port();
    assertThatThrownBy(() -> LdapKeySource.open(server + "/", AT, o))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("names no base DN");
    assertThatThrownBy(() -> LdapKeySource.open(server + "/ou=nothere,dc=example,dc=com", AT, o))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> LdapKeySource.open(ldap.url() + "?DKIMKey", AT, o))
        .hasMessageContaining("server and a base DN only");
    assertThatThrownBy(
            () ->
                LdapKeySource.open(
                    ldap.url() + " " + server + "/ou=other,dc=example,dc=com", AT, o))
        .hasMessageContaining("same base DN");
    assertThatThrownBy(() -> LdapKeySource.open(server + "/not-a-dn", AT, o))
        .hasMessageContaining("is not a DN");
    assertThatThrownBy(() -> LdapKeySource.open("ldapi://%2Frun%2Fx/" + KeyLdif.BASE, AT, o))
        .hasMessageContaining("ldapi");
    String dead = "ldap://127.0.0.1:" + Slapd.freePort() + "/" + KeyLdif.BASE;
    assertThatThrownBy(() -> LdapKeySource.open(dead, AT, o))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  void softStartSignsNothingUntilTheDirectoryIsThere() throws Exception {
    int port = Slapd.freePort();
    try (InMemoryKeyTree later = InMemoryKeyTree.start(port)) {
      later.add(KeyLdif.domain("example.com"));
      later.add(KeyLdif.key("example.com", "s1", KeyLdif.ED25519.privateKeyPem()));
      later.stopListening();
      LdapKeySource source =
          LdapKeySource.builder(
                  "ldap://127.0.0.1:" + port + "/" + KeyLdif.BASE,
                  AT,
                  options(Duration.ofMillis(500), HIT, MISS, true))
              .pollInterval(Duration.ofMillis(200))
              .open();
      open.add(source);
      assertThatThrownBy(() -> source.keysFor("example.com"))
          .isInstanceOf(DataSetUnavailableException.class);
      later.startListening();
      assertThat(selectors(source.keysFor("example.com"))).containsExactly("s1");
      Sources.awaitFeed(source);
    }
  }

  @Test
  void aBaseThatVanishedIsAnErrorNotAMiss() throws Exception {
    try (InMemoryKeyTree bare = InMemoryKeyTree.start()) {
      LdapKeySource source =
          LdapKeySource.open(
              bare.url(), AT, options(Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO, false));
      open.add(source);
      assertThat(source.keysFor("example.com")).isEmpty();
      bare.delete(KeyLdif.BASE);
      assertThatThrownBy(() -> source.keysFor("example.com"))
          .isInstanceOf(DataSetUnavailableException.class)
          .hasMessageContaining("base ou=dkim,dc=example,dc=com does not exist");
    }
  }

  @Test
  void withoutCacheThereIsNoChangeFeed() throws Exception {
    assertThat(uncached().feed()).isEmpty();
  }
}
