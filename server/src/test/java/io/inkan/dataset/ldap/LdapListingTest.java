package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.SearchScope;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.DataSets;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.dataset.Walkable;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing every entry of an {@code ldap:} set ({@link LdapListing}) on the in-memory directory. */
class LdapListingTest {
  private static final Source AT = new Source("/etc/inkan/inkan.conf", 7);
  private static final String KEYS = "ou=keys," + InMemoryLdap.BASE;

  private InMemoryLdap ldap;

  @BeforeEach
  void start() throws Exception {
    ldap = InMemoryLdap.start();
    ldap.add("dn: " + KEYS, "objectClass: organizationalUnit", "ou: keys");
    key("sel2", "example.net", "MIIsel2");
    key("sel1", "example.com", "MIIsel1");
    ldap.add("dn: cn=printer," + KEYS, "objectClass: device", "cn: printer");
  }

  private void key(String selector, String domain, String key) throws Exception {
    ldap.add(
        "dn: DKIMSelector=" + selector + "," + KEYS,
        "objectClass: device",
        "objectClass: DKIM",
        "cn: " + selector,
        "DKIMSelector: " + selector,
        "DKIMDomain: " + domain,
        "DKIMKey: " + key);
  }

  @AfterEach
  void stop() {
    ldap.close();
  }

  private List<DataSetEntry> list(String urlTail) throws Exception {
    // The default options cache answers: the listing must see through the cache.
    try (DataSet set =
        DataSets.parse(
            ldap.url() + "/" + urlTail,
            AT.file(),
            AT.line(),
            KeyCase.SENSITIVE,
            DataSetOptions.DEFAULTS)) {
      return Walkable.entriesOf(set).orElseThrow();
    }
  }

  @Test
  void aFilterOnTheKeyListsEveryEntryValuedAsALookup() throws Exception {
    List<DataSetEntry> entries =
        list(KEYS + "?DKIMDomain,DKIMSelector,DKIMKey?one?(&(objectClass=DKIM)(DKIMSelector=$d))");
    assertThat(entries)
        .containsExactly(
            new DataSetEntry("sel1", "example.com:sel1:MIIsel1", AT),
            new DataSetEntry("sel2", "example.net:sel2:MIIsel2", AT));
  }

  @Test
  void theKeyCanBeTheFirstRdnOfABaseSearch() throws Exception {
    List<DataSetEntry> entries =
        list("DKIMSelector=$d," + KEYS + "?DKIMKey?base?(objectClass=DKIM)");
    assertThat(entries).extracting(DataSetEntry::key).containsExactly("sel1", "sel2");
    assertThat(entries).extracting(DataSetEntry::value).containsExactly("MIIsel1", "MIIsel2");
  }

  @Test
  void entriesWithoutAnyRequestedAttributeAreNoRows() throws Exception {
    assertThat(list(KEYS + "?DKIMKey?one?(cn=$d)"))
        .extracting(DataSetEntry::key)
        .containsExactly("sel1", "sel2");
    assertThat(list(KEYS + "??one?(cn=$d)"))
        .extracting(DataSetEntry::key)
        .containsExactly("printer", "sel1", "sel2");
  }

  @Test
  void aMissingBaseListsNothing() throws Exception {
    assertThat(list("ou=gone," + InMemoryLdap.BASE + "?DKIMKey?one?(DKIMSelector=$d)")).isEmpty();
  }

  @Test
  void plansTheSearch() {
    LdapListing plan =
        LdapListing.of(
            LdapUrl.parse("ldap://h/" + KEYS + "?DKIMKey?sub?(|(cn=$d)(DKIMSelector=$d))"));
    assertThat(plan.base()).isEqualTo(KEYS);
    assertThat(plan.scope()).isEqualTo(SearchScope.SUB);
    assertThat(plan.filter()).hasToString("(|(cn=*)(DKIMSelector=*))");
    assertThat(plan.keyAttribute()).isEqualTo("cn");
  }

  @Test
  void searchesThatCannotBeListedSayWhy() {
    assertThatThrownBy(
            () -> LdapListing.of(LdapUrl.parse("ldap://h/" + KEYS + "?a?one?(mail=*@$d)")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(mail=*@$d)");
    assertThatThrownBy(() -> LdapListing.of(LdapUrl.parse("ldap://h/$D?a?base")))
        .hasMessageContaining("$D");
    assertThatThrownBy(() -> LdapListing.of(LdapUrl.parse("ldap://h/" + KEYS + "?a?one?(cn=x)")))
        .hasMessageContaining("no (attribute=$d)");
    assertThatThrownBy(() -> LdapListing.of(LdapUrl.parse("ldap://h/cn=$d," + KEYS + "?a?sub")))
        .hasMessageContaining("first RDN");
  }

  @Test
  void aSetThatCannotBeListedFailsAsUnavailable() throws Exception {
    try (DataSet set =
        DataSets.parse(
            ldap.url() + "/" + KEYS + "?DKIMKey?one?(cn=x)",
            AT.file(),
            AT.line(),
            KeyCase.SENSITIVE,
            DataSetOptions.DEFAULTS)) {
      assertThatThrownBy(() -> Walkable.entriesOf(set))
          .isInstanceOf(DataSetUnavailableException.class)
          .hasMessageStartingWith(AT + ": data set \"")
          .hasMessageContaining("cannot be listed");
    }
  }
}
