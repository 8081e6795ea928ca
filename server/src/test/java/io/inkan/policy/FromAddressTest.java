package io.inkan.policy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FromAddressTest {
  private static String addr(String v) {
    return FromAddress.parse(v).map(FromAddress::address).orElse(null);
  }

  @Test
  void parsesTheForms() {
    assertThat(addr(" alice@Example.COM")).isEqualTo("alice@example.com");
    assertThat(addr(" Alice <alice@example.com>")).isEqualTo("alice@example.com");
    assertThat(addr(" \"Smith, Alice <x@y>\" <alice@example.com>")).isEqualTo("alice@example.com");
    assertThat(addr(" (comment) alice@example.com (another)")).isEqualTo("alice@example.com");
    assertThat(addr(" Alice\r\n <alice@example.com>")).isEqualTo("alice@example.com");
    assertThat(addr(" a@example.com, b@example.org")).isEqualTo("a@example.com");
    assertThat(addr(" Team: a@example.com;")).isEqualTo("a@example.com");
  }

  @Test
  void rejectsWhatHasNoAddress() {
    assertThat(addr(" undisclosed")).isNull();
    assertThat(addr(" <alice@>")).isNull();
    assertThat(addr(" Alice <alice@example.com")).isNull();
    assertThat(addr("")).isNull();
  }
}
