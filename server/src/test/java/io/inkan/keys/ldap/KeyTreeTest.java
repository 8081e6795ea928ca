package io.inkan.keys.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import org.junit.jupiter.api.Test;

class KeyTreeTest {
  private static final KeyTree TREE = tree();

  private static KeyTree tree() {
    try {
      return new KeyTree(new DN("ou=dkim,dc=example,dc=com"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aDomainIsItsLabelsAsDcRdnsAboveTheBase() {
    assertThat(TREE.domainDn("example.com").toString())
        .isEqualTo("dc=example,dc=com,ou=dkim,dc=example,dc=com");
    assertThat(TREE.domainDn("a.b.example.org").toString())
        .isEqualTo("dc=a,dc=b,dc=example,dc=org,ou=dkim,dc=example,dc=com");
  }

  @Test
  void domainsAreNormalized() {
    assertThat(KeyTree.normalize("Example.COM.")).hasValue("example.com");
    assertThat(KeyTree.normalize(" mail_1.example-2.com ")).hasValue("mail_1.example-2.com");
    assertThat(KeyTree.normalize("bücher.example")).hasValue("xn--bcher-kva.example");
  }

  @Test
  void whatIsNoHostNameNeverBecomesAQuery() {
    for (String bad :
        new String[] {
          "*)(uid=*",
          "example.com,dc=evil",
          "example.com)(objectClass=*",
          "dc=example",
          "example..com",
          "",
          ".",
          "a\u0000b.com",
          "x".repeat(64) + ".com",
          "example.com\\2c",
          "exa mple.com",
          "#example.com",
          "a+b.com"
        }) {
      assertThat(KeyTree.normalize(bad)).as(bad).isEmpty();
    }
  }

  @Test
  void domainDnEscapesWhatALabelCouldHold() {
    // normalize() refuses these; the DN is built from RDN values anyway, never by splicing text
    assertThat(TREE.domainDn("a,dc=evil+cn=x.com").getRDNs()[0].getAttributeValues())
        .containsExactly("a,dc=evil+cn=x");
    assertThat(TREE.domainDn("a,dc=evil+cn=x.com").toString())
        .startsWith("dc=a\\,dc=evil\\+cn=x,dc=com,");
    assertThat(TREE.domainDn("a,dc=evil+cn=x.com").getRDNs()).hasSize(5);
  }

  @Test
  void aKeyEntryBelongsToItsParentsDomain() throws Exception {
    assertThat(
            TREE.domainOfKey(new DN("DKIMSelector=s1,dc=example,dc=com,ou=dkim,dc=example,dc=com")))
        .hasValue("example.com");
    assertThat(
            TREE.domainOfKey(
                new DN("dkimselector=s1,DC=Mail,dc=Example,DC=org,OU=DKIM,dc=example,dc=com")))
        .hasValue("mail.example.org");
    assertThat(TREE.domainOfKey(new DN("DKIMSelector=s1,ou=dkim,dc=example,dc=com"))).isEmpty();
    assertThat(TREE.domainOfKey(new DN("DKIMSelector=s1,dc=other,dc=com"))).isEmpty();
    assertThat(TREE.domainOfKey(new DN("cn=x,ou=keys,dc=example,dc=com,ou=dkim,dc=example,dc=com")))
        .hasValue("example.com");
    assertThat(TREE.domainOfKey(new DN("dc=example,dc=com,ou=dkim,dc=example,dc=com")))
        .hasValue("com");
  }
}
