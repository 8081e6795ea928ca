package io.inkan.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.crypto.PrivateKeyReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link KeyDirectory} and {@link KeyRotation} do to a schema-checking directory holding
 * {@code ou=dkim,dc=example,dc=com}; run against UnboundID's in-memory server and a real slapd.
 */
abstract class KeyDirectoryContract {
  static final String BASE = InMemoryKeyServer.BASE;
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  /** A bound connection with write access below {@link #BASE}. */
  protected abstract LDAPInterface ldap() throws Exception;

  KeyDirectory directory;
  final List<String> published = new ArrayList<>();

  @BeforeEach
  void emptyBase() throws Exception {
    LDAPInterface ldap = ldap();
    List<SearchResultEntry> below =
        new ArrayList<>(
            ldap.search(BASE, SearchScope.SUBORDINATE_SUBTREE, "(objectClass=*)", "1.1")
                .getSearchEntries());
    below.sort(Comparator.comparingInt((SearchResultEntry e) -> e.getDN().length()).reversed());
    for (SearchResultEntry e : below) {
      ldap.delete(e.getDN());
    }
    directory = new KeyDirectory(ldap, BASE);
  }

  static NewKey rsa() throws Exception {
    return NewKey.generate(KeyType.RSA, 1024);
  }

  static NewKey ed25519() throws Exception {
    return NewKey.generate(KeyType.ED25519, 0);
  }

  @Test
  void addMakesTheDomainChainAndASchemaValidKeyEntry() throws Exception {
    NewKey key = rsa();
    KeyEntry added = directory.add("Example.ORG.", "s1", key, true);

    assertThat(added.dn()).isEqualTo("DKIMSelector=s1,dc=example,dc=org," + BASE);
    for (String dn : List.of("dc=org," + BASE, "dc=example,dc=org," + BASE)) {
      SearchResultEntry label = ldap().getEntry(dn);
      assertThat(label).as(dn).isNotNull();
      assertThat(label.hasObjectClass("domain")).isTrue();
    }
    SearchResultEntry entry = ldap().getEntry(added.dn(), "*");
    assertThat(entry.getObjectClassValues())
        .contains("inkanDkimKey", "DKIM", "inkanDkimKeyOptions");
    assertThat(entry.getAttributeValue("DKIMDomain")).isEqualTo("example.org");
    assertThat(entry.getAttributeValue("inkanDkimAlgorithm")).isEqualTo("rsa-sha256");
    assertThat(entry.getAttributeValueAsBoolean("inkanDkimActive")).isTrue();
    String stored = entry.getAttributeValue("DKIMKey");
    assertThat(stored).doesNotContain("-----", "\n");
    assertThat(PrivateKeyReader.read(stored).publicKeyBase64())
        .isEqualTo(key.record().publicKeyBase64());
  }

  @Test
  void addSharesExistingLabelsAndRefusesATakenSelector() throws Exception {
    directory.add("example.org", "s1", ed25519(), true);
    directory.add("mail.example.org", "s1", ed25519(), false);

    assertThatThrownBy(() -> directory.add("example.org", "s1", ed25519(), true))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageContaining("exists already");
    assertThat(directory.list(Optional.empty()))
        .extracting(KeyEntry::domain, KeyEntry::selector, KeyEntry::enabled)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("example.org", "s1", true),
            org.assertj.core.groups.Tuple.tuple("mail.example.org", "s1", false));
  }

  @Test
  void listFiltersByDomainAndNeverShowsTheKey() throws Exception {
    NewKey key = ed25519();
    directory.add("example.org", "b", key, true);
    directory.add("example.org", "a", rsa(), true);
    directory.add("example.net", "c", rsa(), true);

    List<KeyEntry> org = directory.list(Optional.of("example.org"));
    assertThat(org).extracting(KeyEntry::selector).containsExactly("a", "b");
    assertThat(org.get(1).listLine())
        .isEqualTo(
            "example.org\tb\ted25519-sha256\tactive\t-\t-\tDKIMSelector=b,dc=example,dc=org,"
                + BASE)
        .doesNotContain(key.privateKeyBase64());
    assertThat(directory.list(Optional.of("example.com"))).isEmpty();
    assertThat(directory.find("example.org", "x)(objectClass=*")).isEmpty();
  }

  @Test
  void disableEnableAndNotAfterOnAnOpenDkimEntry() throws Exception {
    directory.add("example.org", "s1", rsa(), true);
    String dn = "DKIMSelector=old,dc=example,dc=org," + BASE;
    ldap()
        .add(
            "dn: " + dn,
            "objectClass: top",
            "objectClass: inkanDkimKey",
            "objectClass: DKIM",
            "DKIMSelector: old",
            "DKIMKey: " + rsa().privateKeyBase64());
    KeyEntry old = directory.find("example.org", "old").orElseThrow();
    assertThat(old.enabled()).isTrue();
    assertThat(old.domain()).isEqualTo("example.org");

    directory.setActive(old, false);
    assertThat(directory.find("example.org", "old").orElseThrow().listLine())
        .startsWith("example.org\told\t-\tinactive\t-\t-\t");
    directory.setActive(old, true);
    directory.setNotAfter(old, NOW.plusMillis(1500));
    KeyEntry after = directory.find("example.org", "old").orElseThrow();
    assertThat(after.active()).contains(true);
    assertThat(after.notAfter()).contains(NOW.plusSeconds(1));
    assertThat(ldap().getEntry(dn).hasObjectClass("inkanDkimKeyOptions")).isTrue();
  }

  @Test
  void aMissingBaseIsAnError() throws Exception {
    KeyDirectory elsewhere = new KeyDirectory(ldap(), "ou=nothing,dc=example,dc=com");
    assertThatThrownBy(() -> elsewhere.add("example.org", "s1", ed25519(), true))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageContaining("ou=nothing,dc=example,dc=com does not exist");
  }

  private KeyRotation rotation(KeyRotation.Publication publication, KeyRotation.Visibility seen) {
    return new KeyRotation(
        directory, publication, seen, Clock.fixed(NOW, ZoneOffset.UTC), line -> {});
  }

  private KeyRotation.Publication recording() {
    return (selector, key) -> {
      published.add(selector + " " + key.record().text());
      return "published";
    };
  }

  @Test
  void rotateActivatesTheNewKeyAndRetiresOnlyOldKeysOfItsType() throws Exception {
    directory.add("example.org", "rsa1", rsa(), true);
    directory.add("example.org", "ed1", ed25519(), true);
    directory.add("example.org", "gone", rsa(), false);
    List<String> checked = new ArrayList<>();

    KeyRotation.Result result =
        rotation(recording(), (owner, text) -> checked.add(owner + " " + text) ? "seen" : "")
            .rotate(
                new KeyRotation.Request(
                    "example.org", Optional.empty(), KeyType.RSA, 1024, Duration.ofDays(7)));

    assertThat(result.added().selector()).isEqualTo("s202603");
    assertThat(result.added().active()).contains(true);
    assertThat(published).hasSize(1);
    assertThat(checked)
        .containsExactly("s202603._domainkey.example.org. " + published.get(0).substring(8));
    assertThat(result.retired())
        .extracting(r -> r.key().selector(), KeyRotation.Retired::notAfter)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("rsa1", NOW.plus(Duration.ofDays(7))));
    assertThat(directory.find("example.org", "rsa1").orElseThrow().notAfter())
        .contains(NOW.plus(Duration.ofDays(7)));
    assertThat(directory.find("example.org", "ed1").orElseThrow().notAfter()).isEmpty();
    assertThat(directory.find("example.org", "gone").orElseThrow().notAfter()).isEmpty();
  }

  @Test
  void aFailedPublicationLeavesTheNewKeyInactiveAndRetiresNothingUntilResumed() throws Exception {
    directory.add("example.org", "rsa1", rsa(), true);
    KeyRotation.Request request =
        new KeyRotation.Request(
            "example.org", Optional.of("new1"), KeyType.RSA, 1024, Duration.ofHours(36));
    KeyRotation.Publication refused =
        (selector, key) -> {
          throw new KeyAdminException("127.0.0.1:53 refused the UPDATE: NOTAUTH");
        };

    assertThatThrownBy(() -> rotation(refused, (o, t) -> "seen").rotate(request))
        .isInstanceOf(KeyAdminException.class)
        .hasMessageContaining("NOTAUTH")
        .hasMessageContaining("new1 stays inactive");
    assertThat(directory.find("example.org", "new1").orElseThrow().enabled()).isFalse();
    assertThat(directory.find("example.org", "rsa1").orElseThrow().notAfter()).isEmpty();

    assertThatThrownBy(
            () ->
                rotation(
                        recording(),
                        (o, t) -> {
                          throw new KeyAdminException(o + " TXT is not visible after 0 s");
                        })
                    .rotate(request))
        .hasMessageContaining("not visible");
    assertThat(directory.find("example.org", "new1").orElseThrow().enabled()).isFalse();
    assertThat(directory.find("example.org", "rsa1").orElseThrow().notAfter()).isEmpty();

    KeyRotation.Result resumed = rotation(recording(), (o, t) -> "seen").rotate(request);
    assertThat(resumed.added().enabled()).isTrue();
    assertThat(published).hasSize(2).allMatch(p -> p.equals(published.get(0)));
    assertThat(resumed.retired()).extracting(r -> r.key().selector()).containsExactly("rsa1");
    assertThat(directory.find("example.org", "rsa1").orElseThrow().notAfter())
        .contains(NOW.plus(Duration.ofHours(36)));
  }

  @Test
  void rotateRefusesAnActiveSelectorAndKeepsAnEarlierNotAfter() throws Exception {
    KeyEntry rsa1 = directory.add("example.org", "rsa1", rsa(), true);
    directory.setNotAfter(rsa1, NOW.plus(Duration.ofDays(1)));
    assertThatThrownBy(
            () ->
                rotation(recording(), (o, t) -> "seen")
                    .rotate(
                        new KeyRotation.Request(
                            "example.org",
                            Optional.of("rsa1"),
                            KeyType.RSA,
                            1024,
                            Duration.ofDays(7))))
        .hasMessageContaining("active already");

    rotation(recording(), (o, t) -> "seen")
        .rotate(
            new KeyRotation.Request(
                "example.org", Optional.empty(), KeyType.RSA, 1024, Duration.ofDays(7)));
    assertThat(directory.find("example.org", "rsa1").orElseThrow().notAfter())
        .contains(NOW.plus(Duration.ofDays(1)));
  }
}
