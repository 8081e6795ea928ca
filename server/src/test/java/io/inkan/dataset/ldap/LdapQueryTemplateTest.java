package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import io.inkan.dataset.DataSetConformance;
import io.inkan.dataset.ldap.LdapQueryTemplate.Context;
import org.junit.jupiter.api.Test;

class LdapQueryTemplateTest {
  private static String filter(String template, String key) {
    return new LdapQueryTemplate(template, Context.FILTER).expand(key);
  }

  private static String dn(String template, String key) {
    return new LdapQueryTemplate(template, Context.DN).expand(key);
  }

  @Test
  void dollarSmallDIsTheKey() {
    assertThat(filter("(DKIMSelector=$d)", "sel2026")).isEqualTo("(DKIMSelector=sel2026)");
    assertThat(filter("(|(mail=$d)(DKIMIdentity=$d))", "a@b"))
        .isEqualTo("(|(mail=a@b)(DKIMIdentity=a@b))");
    assertThat(dn("cn=$d,ou=keys,dc=x", "sel")).isEqualTo("cn=sel,ou=keys,dc=x");
  }

  @Test
  void dollarBigDIsTheKeyAsDcLabels() {
    assertThat(dn("$D,ou=dkim,dc=example,dc=com", "mail.example.com"))
        .isEqualTo("dc=mail,dc=example,dc=com,ou=dkim,dc=example,dc=com");
    assertThat(dn("ou=x,$D", "localhost")).isEqualTo("ou=x,dc=localhost");
    assertThat(filter("(associatedDomain=$D)", "a.b")).isEqualTo("(associatedDomain=dc=a,dc=b)");
  }

  @Test
  void otherDollarTextStays() {
    assertThat(filter("(cn=$x$)", "k")).isEqualTo("(cn=$x$)");
    assertThat(filter("(cn=$$d)", "k")).isEqualTo("(cn=$k)");
  }

  @Test
  void filterValuesAreEscapedPerRfc4515() {
    assertThat(LdapQueryTemplate.escapeFilterValue("*)(uid=*")).isEqualTo("\\2a\\29\\28uid=\\2a");
    assertThat(LdapQueryTemplate.escapeFilterValue("a\\b\0")).isEqualTo("a\\5cb\\00");
    assertThat(LdapQueryTemplate.escapeFilterValue("ünï@example.com")).isEqualTo("ünï@example.com");
  }

  @Test
  void injectedKeysStayOneEqualityAssertion() throws Exception {
    for (String key : DataSetConformance.HOSTILE_KEYS) {
      Filter f = Filter.create(filter("(cn=$d)", key));
      assertThat(f.getFilterType()).as(key).isEqualTo(Filter.FILTER_TYPE_EQUALITY);
      assertThat(f.getAssertionValue()).as(key).isEqualTo(key);
      Filter and = Filter.create(filter("(&(objectClass=device)(cn=$d))", key));
      assertThat(and.getComponents()).as(key).hasSize(2);
      assertThat(and.getComponents()[1].getAssertionValue()).as(key).isEqualTo(key);
    }
  }

  @Test
  void dnValuesAreEscapedPerRfc4514() throws Exception {
    assertThat(LdapQueryTemplate.escapeDnValue("a,b+c=d")).isEqualTo("a\\,b\\+c\\=d");
    assertThat(LdapQueryTemplate.escapeDnValue(" #x ")).isEqualTo("\\ #x\\ ");
    assertThat(LdapQueryTemplate.escapeDnValue("#x")).isEqualTo("\\#x");
    assertThat(LdapQueryTemplate.escapeDnValue("x#y z")).isEqualTo("x#y z");
    assertThat(LdapQueryTemplate.escapeDnValue("\"<>;\\\0")).isEqualTo("\\\"\\<\\>\\;\\\\\\00");
    for (String key : DataSetConformance.HOSTILE_KEYS) {
      DN parsed = new DN(dn("cn=$d,ou=t,dc=x", key));
      assertThat(parsed.getRDN().getAttributeValues()).as(key).containsExactly(key);
      assertThat(parsed.getParent()).isEqualTo(new DN("ou=t,dc=x"));
    }
    DN evil = new DN(dn("cn=$d,ou=t,dc=x", "a,ou=admin"));
    assertThat(evil.getRDN().getAttributeValues()).containsExactly("a,ou=admin");
  }

  @Test
  void domainLabelsAreEscapedOneByOne() throws Exception {
    assertThat(LdapQueryTemplate.domainDn("a,b.example")).isEqualTo("dc=a\\,b,dc=example");
    assertThat(LdapQueryTemplate.domainDn(".example.org")).isEqualTo("dc=,dc=example,dc=org");
    assertThat(LdapQueryTemplate.domainDn("")).isEqualTo("dc=");
    DN d = new DN(dn("$D,ou=dkim", "x+dc=evil.com"));
    assertThat(d.getRDNs()).hasSize(3);
    assertThat(d.getRDN().getAttributeValues()).containsExactly("x+dc=evil");
  }
}
