package io.inkan.keys.ldap;

import static io.inkan.keys.ldap.Sources.AT;
import static io.inkan.keys.ldap.Sources.options;
import static io.inkan.keys.ldap.Sources.selectors;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where the root DSE lists persistent search but not content sync, changes come by it. */
class PersistentSearchTest {
  private final Sources.ManualTime time = new Sources.ManualTime();

  @Test
  void changesArriveByPersistentSearch() throws Exception {
    try (PersistentSearchDirectory ldap = new PersistentSearchDirectory()) {
      ldap.add(KeyLdif.domain("example.com"));
      ldap.add(KeyLdif.key("example.com", "s1", KeyLdif.RSA.privateKeyPem()));
      ldap.add(KeyLdif.domain("example.org"));
      try (LdapKeySource source =
          LdapKeySource.builder(ldap.url(), AT, options())
              .clock(time)
              .pollInterval(Duration.ofMillis(300))
              .open()) {
        Sources.awaitFeed(source);
        ChangeFeed feed = source.feed().orElseThrow();
        assertThat(feed.mode()).isEqualTo(ChangeFeed.Mode.PERSISTENT_SEARCH);
        assertThat(ldap.subscribers()).isEqualTo(1);
        assertThat(selectors(source.keysFor("example.com"))).containsExactly("s1");
        assertThat(source.keysFor("example.org")).isEmpty();

        ldap.modify(KeyLdif.replace("example.com", "s1", "inkanDkimActive", "FALSE"));
        Duration modified =
            Sources.until(source, "example.com", List::isEmpty, Duration.ofSeconds(5));
        ldap.add(KeyLdif.key("example.org", "o1", KeyLdif.ED25519.privateKeyPem()));
        Duration added =
            Sources.until(
                source,
                "example.org",
                k -> selectors(k).equals(List.of("o1")),
                Duration.ofSeconds(5));
        // a key moved to another domain: both domains forget
        ldap.modify(KeyLdif.replace("example.com", "s1", "inkanDkimActive", "TRUE"));
        Sources.until(source, "example.com", k -> k.size() == 1, Duration.ofSeconds(5));
        ldap.modify(
            "dn: "
                + KeyLdif.keyDn("example.com", "s1")
                + "\nchangetype: modrdn\nnewrdn: DKIMSelector=s1\ndeleteoldrdn: 1\nnewsuperior: "
                + KeyLdif.domainDn("example.org")
                + "\n");
        Sources.until(source, "example.com", List::isEmpty, Duration.ofSeconds(5));
        Sources.until(
            source,
            "example.org",
            k -> selectors(k).equals(List.of("o1", "s1")),
            Duration.ofSeconds(5));
        Thread.sleep(1000); // probes keep the search open
        assertThat(feed.sessions()).isEqualTo(1);
        assertThat(feed.polls()).isZero();
        System.out.printf(
            "persistent search push delay: modify %d ms, add %d ms%n",
            modified.toMillis(), added.toMillis());
      }
    }
  }
}
