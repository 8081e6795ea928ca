package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DnsNamesTest {
  @Test
  void lowerCasesAsciiAndDropsTheRootDot() {
    assertThat(DnsNames.normalise("Sel._DomainKey.Example.COM."))
        .isEqualTo("sel._domainkey.example.com");
    assertThat(DnsNames.normalise("already.lower")).isEqualTo("already.lower");
    assertThat(DnsNames.normalise(".")).isEqualTo(".");
    assertThat(DnsNames.normalise("")).isEmpty();
  }

  @Test
  void keepsEscapedDotsAndNonAsciiCase() {
    assertThat(DnsNames.normalise("a\\.")).isEqualTo("a\\.");
    assertThat(DnsNames.normalise("a\\\\.")).isEqualTo("a\\\\");
    assertThat(DnsNames.normalise("ÄB.example")).isEqualTo("Äb.example");
  }
}
