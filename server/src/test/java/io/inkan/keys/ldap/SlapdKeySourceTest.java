package io.inkan.keys.ldap;

import static io.inkan.keys.ldap.Sources.AT;
import static io.inkan.keys.ldap.Sources.options;
import static io.inkan.keys.ldap.Sources.selectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.keys.DomainKeySource.DirectoryKey;
import io.inkan.keys.ldap.Sources.ManualTime;
import io.inkan.testing.Slapd;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key source against Debian's slapd with the repository's schema, sample tree and syncprov:
 * keys found, changes pushed by content sync (measured), no periodic searches, polling, failover,
 * and "unavailable" once all servers are gone and the cache has expired.
 */
class SlapdKeySourceTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final Duration HIT = Duration.ofMinutes(5);
  private static final Duration MISS = Duration.ofMinutes(1);
  private static final Pattern SEARCH = Pattern.compile(" SRCH (base=.*)");

  private final ManualTime time = new ManualTime(); // 2026-06-01: inside the sample's windows

  @BeforeAll
  static void slapdInstalled() {
    Slapd.require();
  }

  private static Slapd slapd(String logLevel) throws IOException {
    return slapd(Slapd.builder().logLevel(logLevel));
  }

  private static Slapd slapd(Slapd.Builder builder) throws IOException {
    Slapd slapd = builder.suffixEntry(false).start();
    try {
      slapd.add(Slapd.schemaDir().resolve("sample-entries.ldif"));
      return slapd;
    } catch (IOException | RuntimeException e) {
      slapd.close();
      throw e;
    }
  }

  private LdapKeySource source(String urls) throws Exception {
    return LdapKeySource.builder(urls, AT, options(TIMEOUT, HIT, MISS, false))
        .clock(time)
        .pollInterval(Duration.ofSeconds(1))
        .open();
  }

  private static String url(Slapd slapd) {
    return slapd.url() + "/" + KeyLdif.BASE;
  }

  private static List<String> searches(Slapd slapd) {
    Matcher m = SEARCH.matcher(slapd.log());
    List<String> searches = new ArrayList<>();
    while (m.find()) {
      searches.add(m.group(1));
    }
    return searches;
  }

  @Test
  void theSampleTreesKeysAreFoundWithTheirWindows() throws Exception {
    try (Slapd slapd = slapd("0");
        LdapKeySource source = source(url(slapd))) {
      List<DirectoryKey> keys = source.keysFor("example.com");
      assertThat(selectors(keys)).containsExactly("ed2026", "rsa2026");
      assertThat(keys.get(0).key().algorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
      assertThat(keys.get(1).key().algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
      assertThat(keys.get(1).options().signatureTtlSeconds()).hasValue(1209600);
      assertThat(keys.get(1).identity()).hasValue("@example.com");
      assertThat(selectors(source.keysFor("example.net"))).containsExactly("net2026");
      time.set(Instant.parse("2026-01-10T00:00:00Z")); // net2025 retired, net2026 not yet valid
      assertThat(source.keysFor("example.net")).isEmpty();
      assertThat(source.keysFor("example.org")).isEmpty();
      assertThat(source.keysFor("*)(DKIMSelector=*")).isEmpty();
    }
  }

  @Test
  void contentSyncPushesChangesWithinASecondWithoutPeriodicSearches() throws Exception {
    try (Slapd slapd = slapd("stats");
        LdapKeySource source = source(url(slapd))) {
      Sources.awaitFeed(source);
      ChangeFeed feed = source.feed().orElseThrow();
      assertThat(feed.mode()).isEqualTo(ChangeFeed.Mode.CONTENT_SYNC);
      assertThat(selectors(source.keysFor("example.com"))).containsExactly("ed2026", "rsa2026");

      long notes = feed.notifications();
      long t0 = System.nanoTime(); // the delays include the change's own round trip
      slapd.modify(KeyLdif.replace("example.com", "rsa2026", "inkanDkimActive", "FALSE"));
      Duration deactivated =
          Sources.until(
              source,
              "example.com",
              k -> selectors(k).equals(List.of("ed2026")),
              Duration.ofSeconds(5),
              t0);
      t0 = System.nanoTime();
      slapd.add(
          KeyLdif.key(
              "example.com",
              "ed2027",
              KeyLdif.ED25519.privateKeyPem(),
              "inkanDkimAlgorithm: ed25519-sha256"));
      Duration added =
          Sources.until(
              source,
              "example.com",
              k -> selectors(k).equals(List.of("ed2026", "ed2027")),
              Duration.ofSeconds(5),
              t0);
      t0 = System.nanoTime();
      try (var c = slapd.connect()) {
        c.delete(KeyLdif.keyDn("example.com", "ed2026"));
      }
      Duration deleted =
          Sources.until(
              source,
              "example.com",
              k -> selectors(k).equals(List.of("ed2027")),
              Duration.ofSeconds(5),
              t0);
      System.out.printf(
          "slapd content sync push delay (from sending the change to keysFor showing it):"
              + " modify %d ms, add %d ms, delete %d ms%n",
          deactivated.toMillis(), added.toMillis(), deleted.toMillis());
      assertThat(feed.notifications()).isEqualTo(notes + 3);

      List<String> before = searches(slapd);
      Thread.sleep(3500); // three and a half poll intervals: probes, but no search
      List<String> after = searches(slapd);
      assertThat(after).isEqualTo(before);
      // the one subtree search: the content sync itself
      assertThat(before.stream().filter(b -> b.contains(" scope=2 "))).hasSize(1);
      assertThat(slapd.log()).contains("EXT oid=1.3.6.1.4.1.4203.1.11.3");
      assertThat(feed.polls()).isZero();
      assertThat(feed.sessions()).isEqualTo(1);
      assertThat(feed.listed()).isZero(); // started from the current cookie: no refresh walk
    }
  }

  /** More key entries than slapd's default size limit (500) for an anonymous client. */
  private static String bulk(int n) {
    StringBuilder ldif = new StringBuilder(KeyLdif.domain("bulk.example"));
    for (int i = 0; i < n; i++) {
      ldif.append('\n').append(KeyLdif.key("bulk.example", "s" + i, "not-a-key"));
    }
    return ldif.toString();
  }

  @Test
  void aTreeLargerThanTheSizeLimitSyncsFromTheCurrentCookieWithoutARefresh() throws Exception {
    try (Slapd slapd = slapd("stats")) {
      slapd.add(bulk(600));
      try (LdapKeySource source = source(url(slapd))) {
        Sources.awaitFeed(source);
        ChangeFeed feed = source.feed().orElseThrow();
        assertThat(feed.mode()).isEqualTo(ChangeFeed.Mode.CONTENT_SYNC);
        assertThat(source.keysFor("example.com")).hasSize(2);
        slapd.modify(KeyLdif.replace("example.com", "ed2026", "inkanDkimActive", "FALSE"));
        Sources.until(source, "example.com", k -> k.size() == 1, Duration.ofSeconds(5));
        assertThat(feed.sessions()).isEqualTo(1);
        assertThat(feed.listed()).isZero(); // the refresh stage listed nothing
      }
    }
  }

  @Test
  void withoutACookieALargeTreeFallsBackToPolling() throws Exception {
    Slapd.Builder hidden =
        Slapd.builder()
            .access(
                List.of(
                    "to dn.base=\"dc=example,dc=com\" attrs=contextCSN by * none",
                    "to * by * read"));
    try (Slapd slapd = slapd(hidden);
        LogCapture log = new LogCapture()) {
      slapd.add(bulk(600));
      try (LdapKeySource source = source(url(slapd))) {
        ChangeFeed feed = source.feed().orElseThrow();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (feed.mode() != ChangeFeed.Mode.POLLING && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        Sources.awaitFeed(source);
        assertThat(feed.mode()).isEqualTo(ChangeFeed.Mode.POLLING);
        assertThat(log.text()).contains("size limit exceeded ends the content synchronization");
        assertThat(source.keysFor("example.com")).hasSize(2);
        slapd.modify(KeyLdif.replace("example.com", "ed2026", "inkanDkimActive", "FALSE"));
        Sources.until(source, "example.com", k -> k.size() == 1, Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void pollingWorksAgainstSlapdToo() throws Exception {
    try (Slapd slapd = slapd("0");
        LdapKeySource source =
            LdapKeySource.builder(url(slapd), AT, options(TIMEOUT, HIT, MISS, false))
                .clock(time)
                .pollInterval(Duration.ofMillis(500))
                .modes(EnumSet.of(ChangeFeed.Mode.POLLING))
                .open()) {
      Sources.awaitFeed(source);
      assertThat(source.feed().orElseThrow().mode()).isEqualTo(ChangeFeed.Mode.POLLING);
      assertThat(source.keysFor("example.com")).hasSize(2);
      slapd.modify(KeyLdif.replace("example.com", "ed2026", "inkanDkimActive", "FALSE"));
      Duration d =
          Sources.until(
              source,
              "example.com",
              k -> selectors(k).equals(List.of("rsa2026")),
              Duration.ofSeconds(5));
      System.out.printf("slapd polling every 500 ms: modify seen after %d ms%n", d.toMillis());
    }
  }

  @Test
  void lookupsAndPushFailOverToTheNextServer() throws Exception {
    try (Slapd one = slapd("0");
        Slapd two = slapd("0");
        LdapKeySource source = source(url(one) + " " + url(two))) {
      Sources.awaitFeed(source);
      assertThat(source.keysFor("example.com")).hasSize(2);
      one.kill();
      long t0 = System.nanoTime();
      assertThat(selectors(source.keysFor("example.net"))).containsExactly("net2026");
      Duration failover = Duration.ofNanos(System.nanoTime() - t0);
      assertThat(failover).isLessThan(TIMEOUT.multipliedBy(2));
      // the change feed moves to the second server as well (and forgets everything once there)
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (source.feed().orElseThrow().sessions() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Sources.awaitFeed(source);
      assertThat(source.keysFor("example.com")).hasSize(2);
      two.modify(KeyLdif.replace("example.com", "rsa2026", "inkanDkimActive", "FALSE"));
      Duration d =
          Sources.until(
              source,
              "example.com",
              k -> selectors(k).equals(List.of("ed2026")),
              Duration.ofSeconds(5));
      System.out.printf(
          "failover: lookup on the second slapd in %d ms; push from it after %d ms%n",
          failover.toMillis(), d.toMillis());
    }
  }

  @Test
  void whenAllServersAreDownTheCacheServesUntilItsTtlThenLookupsFail() throws Exception {
    try (Slapd one = slapd("0");
        Slapd two = slapd("0");
        LdapKeySource source =
            LdapKeySource.builder(url(one) + " " + url(two), AT, options(TIMEOUT, HIT, MISS, false))
                .clock(time)
                .nanoTime(time::nanoTime)
                .open()) {
      Sources.awaitFeed(source);
      assertThat(source.keysFor("example.com")).hasSize(2);
      one.kill();
      two.kill();
      time.advance(HIT.minusMillis(1));
      assertThat(source.keysFor("example.com")).hasSize(2);
      time.advance(Duration.ofMillis(1));
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> source.keysFor("example.com"))
          .isInstanceOf(DataSetUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.multipliedBy(3));
      assertThatThrownBy(() -> source.keysFor("example.net"))
          .isInstanceOf(DataSetUnavailableException.class);
    }
  }
}
