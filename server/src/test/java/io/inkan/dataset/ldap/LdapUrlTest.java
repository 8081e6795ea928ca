package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.SearchScope;
import org.junit.jupiter.api.Test;

class LdapUrlTest {
  @Test
  void opendkimReadmeKeyTableUrl() {
    LdapUrl u =
        LdapUrl.parse(
            "ldap://192.0.2.1/ou=people,dc=example,dc=com?DKIMDomain,DKIMSelector,DKIMKey,?sub?"
                + "(DKIMSelector=$d)");
    assertThat(u.scheme()).isEqualTo("ldap");
    assertThat(u.host()).isEqualTo("192.0.2.1");
    assertThat(u.port()).isEqualTo(389);
    assertThat(u.base()).isEqualTo("ou=people,dc=example,dc=com");
    assertThat(u.attributes()).containsExactly("DKIMDomain", "DKIMSelector", "DKIMKey");
    assertThat(u.scope()).isEqualTo(SearchScope.SUB);
    assertThat(u.filter()).isEqualTo("(DKIMSelector=$d)");
    assertThat(u.server()).isEqualTo("ldap://192.0.2.1:389");
  }

  @Test
  void defaultsFollowRfc4516() {
    LdapUrl u = LdapUrl.parse("LDAPS://ldap.example.com");
    assertThat(u.scheme()).isEqualTo("ldaps");
    assertThat(u.port()).isEqualTo(636);
    assertThat(u.base()).isEmpty();
    assertThat(u.attributes()).isEmpty();
    assertThat(u.scope()).isEqualTo(SearchScope.BASE);
    assertThat(u.filter()).isEqualTo("(objectClass=*)");
    assertThat(LdapUrl.parse("ldap:///dc=example,dc=com").host()).isEqualTo("127.0.0.1");
  }

  @Test
  void portsAndIpv6() {
    assertThat(LdapUrl.parse("ldap://h:3389/").port()).isEqualTo(3389);
    LdapUrl v6 = LdapUrl.parse("ldap://[2001:db8::1]:1389/dc=x");
    assertThat(v6.host()).isEqualTo("2001:db8::1");
    assertThat(v6.port()).isEqualTo(1389);
    assertThat(v6.server()).isEqualTo("ldap://[2001:db8::1]:1389");
    assertThat(LdapUrl.parse("ldap://[::1]/").port()).isEqualTo(389);
  }

  @Test
  void percentEncodingIsDecodedBeforeSubstitution() {
    LdapUrl u = LdapUrl.parse("ldap://h/o=A%20B,dc=x?cn?one?(%26(cn=$d)(o=%3f%c3%a9))");
    assertThat(u.base()).isEqualTo("o=A B,dc=x");
    assertThat(u.filter()).isEqualTo("(&(cn=$d)(o=?é))");
    assertThat(LdapUrl.parse("ldap://h/dc=x??one?cn=$d").filter()).isEqualTo("(cn=$d)");
  }

  @Test
  void scopesIncludeOpenLdapAliases() {
    assertThat(LdapUrl.parse("ldap://h/x??one").scope()).isEqualTo(SearchScope.ONE);
    assertThat(LdapUrl.parse("ldap://h/x??ONELEVEL").scope()).isEqualTo(SearchScope.ONE);
    assertThat(LdapUrl.parse("ldap://h/x??subtree").scope()).isEqualTo(SearchScope.SUB);
    assertThat(LdapUrl.parse("ldap://h/x??children").scope())
        .isEqualTo(SearchScope.SUBORDINATE_SUBTREE);
    assertThat(LdapUrl.parse("ldap://h/x??base").scope()).isEqualTo(SearchScope.BASE);
  }

  @Test
  void nonCriticalExtensionsAreIgnoredCriticalOnesRejected() {
    assertThat(LdapUrl.parse("ldap://h/x??base??bindname=cn%3Dx").host()).isEqualTo("h");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h/x??base??!bindname=cn%3Dx"))
        .hasMessageContaining("critical extension \"bindname=cn=x\"");
  }

  @Test
  void ldapiKeepsTheSocketPath() {
    LdapUrl u = LdapUrl.parse("ldapi://%2Fvar%2Frun%2Fslapd%2Fldapi/dc=x");
    assertThat(u.scheme()).isEqualTo("ldapi");
    assertThat(u.host()).isEqualTo("/var/run/slapd/ldapi");
  }

  @Test
  void malformedUrlsSayWhy() {
    assertThatThrownBy(() -> LdapUrl.parse("example.com")).hasMessageContaining("not an LDAP URL");
    assertThatThrownBy(() -> LdapUrl.parse("http://h/")).hasMessageContaining("scheme must be");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h:0/")).hasMessageContaining("port");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h:x/")).hasMessageContaining("port");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h:70000/")).hasMessageContaining("port");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://[::1/")).hasMessageContaining("'['");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h/x??lots")).hasMessageContaining("scope");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h/x?a?b?c?d?e"))
        .hasMessageContaining("more than four");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h/x%2")).hasMessageContaining("two hex");
    assertThatThrownBy(() -> LdapUrl.parse("ldap://h?cn")).hasMessageContaining("'?'");
  }
}
