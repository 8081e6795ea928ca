package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemcachedKeysTest {
  private static void assertValidKey(String key) {
    assertThat(key.length()).isLessThanOrEqualTo(MemcachedKeys.MAX_KEY);
    assertThat(key.chars()).allMatch(c -> c > ' ' && c < 0x7f);
  }

  @Test
  void plainNamesStayReadable() {
    assertThat(MemcachedKeys.forName("sel._domainkey.example.com"))
        .isEqualTo("inkan:sel._domainkey.example.com");
  }

  @Test
  void anyNameBecomesAValidKey() {
    List<String> names =
        List.of(
            "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61),
            "x".repeat(1000),
            "with space.example",
            "tab\there.example",
            "nul\0.example",
            "δοκιμή.example",
            "\\032escaped.example",
            "");
    for (String name : names) {
      assertValidKey(MemcachedKeys.forName(name));
    }
    assertThat(MemcachedKeys.forName("with space.example"))
        .startsWith("inkan#")
        .isNotEqualTo(MemcachedKeys.forName("with\tspace.example"));
  }
}
