package io.inkan.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class DkimNamesTest {
  @Test
  void domainEntriesAreItsLabelsAboveTheBase() {
    assertThat(DkimNames.domainDn("Mail.Example.COM.", "ou=dkim,dc=example,dc=com"))
        .isEqualTo("dc=mail,dc=example,dc=com,ou=dkim,dc=example,dc=com");
    assertThat(DkimNames.domainChain("mail.example.com", "ou=dkim"))
        .containsExactly(
            "dc=com,ou=dkim", "dc=example,dc=com,ou=dkim", "dc=mail,dc=example,dc=com,ou=dkim");
    assertThat(DkimNames.keyDn("example.com", "s1", "ou=dkim"))
        .isEqualTo("DKIMSelector=s1,dc=example,dc=com,ou=dkim");
    assertThat(DkimNames.recordName("s1", "Example.com.")).isEqualTo("s1._domainkey.example.com.");
  }

  @Test
  void injectionAttemptsAreNoNames() {
    assertThat(DkimNames.domainProblem("example.com")).isEmpty();
    assertThat(DkimNames.domainProblem("com")).isPresent();
    assertThat(DkimNames.domainProblem("*)(uid=*")).isPresent();
    assertThat(DkimNames.domainProblem("a,dc=evil.com")).isPresent();
    assertThat(DkimNames.selectorProblem("s2026-01")).isEmpty();
    assertThat(DkimNames.selectorProblem("' OR 1=1")).isPresent();
    assertThat(DkimNames.selectorProblem("x=y")).isPresent();
  }

  @Test
  void defaultSelectorsNameTheUtcMonthThenDayThenMinute() {
    ZonedDateTime t = ZonedDateTime.parse("2026-03-01T00:30:00+02:00");
    assertThat(DkimNames.defaultSelectors(KeyType.RSA, t))
        .containsExactly("s202602", "s20260228", "s20260228t2230");
    assertThat(DkimNames.defaultSelectors(KeyType.ED25519, t).get(0)).isEqualTo("e202602");
  }
}
