package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.testing.Slapd;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Several URLs in one specification are a failover set: lookups go to the first server that
 * answers, and continue on the next when it dies.
 */
class LdapFailoverTest {
  private static final Source AT = new Source("inkan.conf", 7);
  private static final Duration TIMEOUT = Duration.ofSeconds(2);
  private static final DataSetOptions NO_CACHE =
      new DataSetOptions(
          new LdapOptions(
              Optional.empty(), Optional.empty(), false, Optional.empty(), TIMEOUT, 0, 0, 0, true),
          false,
          Duration.ZERO,
          Duration.ZERO);

  private static String row(String value) {
    return "dn: cn=k,"
        + InMemoryLdap.BASE
        + "\nobjectClass: device\ncn: k\ndescription: "
        + value
        + "\n";
  }

  private static String spec(String... urls) {
    StringBuilder sb = new StringBuilder();
    for (String url : urls) {
      sb.append(sb.length() == 0 ? "" : " ")
          .append(url)
          .append('/')
          .append(InMemoryLdap.BASE)
          .append("?description?one?(cn=$d)");
    }
    return sb.toString();
  }

  private static void assertAnswersWithin(DataSet set, String value) {
    long t0 = System.nanoTime();
    assertThat(set.get("k")).hasValue(List.of(value));
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(TIMEOUT.multipliedBy(2));
  }

  @Test
  void inMemoryServersFailOverInOrder() throws Exception {
    try (InMemoryLdap one = InMemoryLdap.start();
        InMemoryLdap two = InMemoryLdap.start()) {
      one.add(row("one").split("\n"));
      two.add(row("two").split("\n"));
      try (DataSet set =
          LdapDataSet.open(spec(one.url(), two.url()), AT, KeyCase.SENSITIVE, NO_CACHE)) {
        assertThat(set.get("k")).hasValue(List.of("one"));
        one.stop();
        assertAnswersWithin(set, "two");
        assertAnswersWithin(set, "two");
      }
    }
  }

  @Test
  void theFirstServerMayBeDownAtOpen() throws Exception {
    try (InMemoryLdap two = InMemoryLdap.start()) {
      two.add(row("two").split("\n"));
      String dead = "ldap://127.0.0.1:" + Slapd.freePort();
      try (DataSet set = LdapDataSet.open(spec(dead, two.url()), AT, KeyCase.SENSITIVE, NO_CACHE)) {
        assertAnswersWithin(set, "two");
      }
    }
  }

  @Test
  void aKilledSlapdFailsOverToTheNextOne() throws Exception {
    try (Slapd one = Slapd.start();
        Slapd two = Slapd.start()) {
      one.add(row("one"));
      two.add(row("two"));
      try (DataSet set =
          LdapDataSet.open(spec(one.url(), two.url()), AT, KeyCase.SENSITIVE, NO_CACHE)) {
        assertThat(set.get("k")).hasValue(List.of("one"));
        one.kill();
        assertAnswersWithin(set, "two");
        one.restart();
        assertThat(set.get("k").orElseThrow()).isIn(List.of("one"), List.of("two"));
        two.stop();
        assertAnswersWithin(set, "one");
      }
    }
  }
}
