package io.inkan.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Host lists asked key by key, as OpenDKIM's {@code dkimf_checkhost()} and {@code dkimf_checkip()}
 * ask a data set: which keys, in which order, and how a negated key wins.
 */
class LookupHostListTest {
  private static final Source AT = new Source("inkan.conf", 7);

  @TempDir Path dir;

  /** A set that cannot be walked (as SQL or LDAP), recording every key asked. */
  private static final class RemoteSet implements DataSet {
    final Set<String> keys = new HashSet<>();
    final List<String> asked = Collections.synchronizedList(new ArrayList<>());
    volatile boolean down;

    RemoteSet(String... keys) {
      this.keys.addAll(List.of(keys));
    }

    @Override
    public Optional<DataSetEntry> lookup(String key) {
      asked.add(key);
      if (down) {
        throw new DataSetUnavailableException("remote set: connection refused", null);
      }
      return keys.contains(key) ? Optional.of(new DataSetEntry(key, null, AT)) : Optional.empty();
    }

    @Override
    public String spec() {
      return "dsn:test";
    }

    @Override
    public Source declaredAt() {
      return AT;
    }
  }

  private static HostMatcher remote(String... keys) throws DataSetException {
    return HostLists.of(new RemoteSet(keys));
  }

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void namesAreAskedWithEachParentDomainNegatedFirst() throws Exception {
    RemoteSet set = new RemoteSet();
    assertThat(HostLists.of(set).matches(null, "Mail.Example.COM.")).isFalse();
    assertThat(set.asked)
        .containsExactly(
            "!mail.example.com",
            "mail.example.com",
            "!.example.com",
            ".example.com",
            "!.com",
            ".com");
  }

  @Test
  void ipv4IsAskedAsTextBracketsThenEveryPrefixFromThirtyTwoDown() throws Exception {
    RemoteSet set = new RemoteSet();
    assertThat(HostLists.of(set).matches(ip("192.0.2.77"), "[192.0.2.77]")).isFalse();
    assertThat(set.asked).hasSize(4 + 33 * 4);
    assertThat(set.asked.subList(0, 12))
        .containsExactly(
            "!192.0.2.77",
            "192.0.2.77",
            "![192.0.2.77]",
            "[192.0.2.77]",
            "!192.0.2.77/32",
            "192.0.2.77/32",
            "![192.0.2.77]/32",
            "[192.0.2.77]/32",
            "!192.0.2.76/31",
            "192.0.2.76/31",
            "![192.0.2.76]/31",
            "[192.0.2.76]/31");
    assertThat(set.asked).contains("192.0.2.0/24", "[192.0.0.0]/16", "128.0.0.0/1");
    assertThat(set.asked.subList(set.asked.size() - 2, set.asked.size()))
        .containsExactly("![0.0.0.0]/0", "[0.0.0.0]/0");
  }

  @Test
  void ipv6IsAskedInCompressedLowerCaseForEveryPrefixFrom128Down() throws Exception {
    RemoteSet set = new RemoteSet();
    assertThat(HostLists.of(set).matches(ip("2001:DB8:0:0:0:0:0:1"), null)).isFalse();
    assertThat(set.asked).hasSize(4 + 129 * 4);
    assertThat(set.asked.subList(0, 6))
        .containsExactly(
            "!2001:db8::1",
            "2001:db8::1",
            "![2001:db8::1]",
            "[2001:db8::1]",
            "!2001:db8::1/128",
            "2001:db8::1/128");
    assertThat(set.asked).contains("2001:db8::/127", "[2001:db8::]/32", "2000::/3");
    assertThat(set.asked.get(set.asked.size() - 1)).isEqualTo("[::]/0");
  }

  @ParameterizedTest
  @CsvSource({
    "2001:db8:0:0:0:0:0:1, 2001:db8::1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "1:0:0:2:0:0:3:4, 1::2:0:0:3:4",
    "1:2:3:4:5:6:7:0, 1:2:3:4:5:6:7:0",
    "1:0:3:4:5:6:7:8, 1:0:3:4:5:6:7:8",
    "0:0:0:0:0:0:0:0, ::",
    "0:0:0:0:0:0:0:1, ::1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "0:0:0:0:0:0:c000:201, ::192.0.2.1",
    "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789, abcd:ef01:2345:6789:abcd:ef01:2345:6789",
  })
  void ipv6TextIsInetNtops(String address, String text) throws Exception {
    assertThat(HostListKeys.text(ip(address).getAddress())).isEqualTo(text);
  }

  @Test
  void aNegatedKeyWinsOnlyWhereItIsAskedFirst() throws Exception {
    HostMatcher nets = remote("!192.0.2.66", "192.0.2.0/24");
    assertThat(nets.matches(ip("192.0.2.66"), null)).isFalse();
    assertThat(nets.matches(ip("192.0.2.67"), null)).isTrue();
    assertThat(nets.matches(ip("192.0.3.1"), null)).isFalse();

    HostMatcher manual = remote("192.0.2.1", "!192.0.2.0/24"); // the opendkim.conf(5) example
    assertThat(manual.matches(ip("192.0.2.1"), null)).isTrue();
    assertThat(manual.matches(ip("192.0.2.2"), null)).isFalse();

    HostMatcher bracketed = remote("[192.0.2.0]/24", "![192.0.2.9]");
    assertThat(bracketed.matches(ip("192.0.2.8"), null)).isTrue();
    assertThat(bracketed.matches(ip("192.0.2.9"), null)).isFalse();

    HostMatcher v6 = remote("2001:db8::/32", "!2001:db8::bad");
    assertThat(v6.matches(ip("2001:db8:1::1"), null)).isTrue();
    assertThat(v6.matches(ip("2001:db8::bad"), null)).isFalse();
  }

  @Test
  void namesCheckTheMostSpecificFirstAndANegatedNameEndsOnlyTheNameHalf() throws Exception {
    HostMatcher names =
        remote(".example.com", "!bad.example.com", "!.example.net", "a.example.net");
    assertThat(names.matches(null, "mail.example.com")).isTrue();
    assertThat(names.matches(null, "example.com")).isFalse(); // .example.com: subdomains only
    assertThat(names.matches(null, "bad.example.com")).isFalse();
    assertThat(names.matches(null, "a.example.net")).isTrue();
    assertThat(names.matches(null, "b.example.net")).isFalse();
    assertThat(names.matches(null, "[192.0.2.1]")).isFalse();
    // dkimf_checkhost() || dkimf_checkip(): the address still decides after a negated name
    HostMatcher both = remote("!bad.example.com", "192.0.2.5");
    assertThat(both.matches(ip("192.0.2.5"), "bad.example.com")).isTrue();
  }

  @Test
  void aSetThatCannotAnswerIsUnavailableNotANo() throws Exception {
    RemoteSet set = new RemoteSet("192.0.2.1");
    set.down = true;
    HostMatcher list = HostLists.of(set);
    assertThat(list.mayBlock()).isTrue();
    assertThatThrownBy(() -> list.matches(ip("192.0.2.1"), null))
        .isInstanceOf(DataSetUnavailableException.class);
  }

  @Test
  void answersComeFromTheSharedCacheTheSecondTime() throws Exception {
    RemoteSet set = new RemoteSet("192.0.2.0/24");
    CachedDataSet cached =
        new CachedDataSet(set, KeyCase.INSENSITIVE, Duration.ofMinutes(5), Duration.ofMinutes(1));
    HostMatcher list = HostLists.of(cached);
    assertThat(list.mayBlock()).isTrue();
    assertThat(list.matches(ip("192.0.2.9"), "relay.example")).isTrue();
    int first = set.asked.size();
    assertThat(first).isGreaterThan(4);
    assertThat(list.matches(ip("192.0.2.9"), "relay.example")).isTrue();
    assertThat(set.asked).hasSize(first);
  }

  @Test
  void walkableSetsAreReadOnceAndPatternSetsAreAskedKeyByKey() throws Exception {
    assertThat(HostLists.of(DataSets.parse("csl:192.0.2.1", "c", 1))).isInstanceOf(HostList.class);
    Path f = Files.writeString(dir.resolve("hosts"), "192.0.2.*\n!192.0.2.9\n");
    HostMatcher patterns = HostLists.of(DataSets.parse("refile:" + f, "c", 1));
    assertThat(patterns.mayBlock()).isFalse();
    assertThat(patterns.matches(ip("192.0.2.8"), null)).isTrue();
    assertThat(patterns.matches(ip("192.0.2.9"), null)).isFalse();
    assertThat(patterns.matches(ip("192.0.4.8"), null)).isFalse();
    // as in OpenDKIM, the pattern also matches the key "192.0.2.0/23" asked for 192.0.3.8
    assertThat(patterns.matches(ip("192.0.3.8"), null)).isTrue();
  }

  /**
   * For entries in inet_ntop() form, asking key by key and walking give the same answers. (They
   * differ only when one network is listed twice in two spellings, e.g. {@code [192.0.2.1]} and
   * {@code !192.0.2.1/32}: OpenDKIM then takes the spelling it asks first, {@link HostList} the
   * negated one; such pairs are left out here.)
   */
  @Test
  void keyByKeyAgreesWithTheWalkedListOnRandomEntries() throws Exception {
    Random random = new Random(4711);
    for (int round = 0; round < 200; round++) {
      List<String> entries = new ArrayList<>();
      Set<String> networks = new HashSet<>();
      for (int i = 0; i < 1 + random.nextInt(6); i++) {
        String[] entry = randomEntry(random);
        if (entry[1] == null || networks.add(entry[1])) {
          entries.add(entry[0]);
        }
      }
      HostList walked =
          HostList.of(DataSets.parse("csl:" + String.join(",", entries), "inkan.conf", 1));
      HostMatcher asked = remote(entries.toArray(String[]::new));
      for (int c = 0; c < 20; c++) {
        InetAddress client = randomClient(random);
        String name = random.nextBoolean() ? null : randomName(random);
        assertThat(asked.matches(client, name))
            .as("%s for %s %s", entries, client, name)
            .isEqualTo(walked.matches(client, name));
      }
    }
  }

  /** An entry and its network ({@code text/len}), null for a name. */
  private static String[] randomEntry(Random r) throws Exception {
    String neg = r.nextInt(3) == 0 ? "!" : "";
    if (r.nextInt(3) == 0) {
      return new String[] {neg + randomName(r), null};
    }
    byte[] a = randomClient(r).getAddress();
    int max = a.length * 8;
    int len = r.nextBoolean() ? max : max - r.nextInt(a.length == 4 ? 33 : 20);
    for (int bit = len; bit < max; bit++) {
      a[bit / 8] &= (byte) ~(1 << (7 - bit % 8));
    }
    String text = HostListKeys.text(a);
    String spelled =
        switch (r.nextInt(4)) {
          case 0 -> text + "/" + len;
          case 1 -> "[" + text + "]/" + len;
          case 2 -> len == max ? text : text + "/" + len;
          default -> len == max ? "[" + text + "]" : text + "/" + len;
        };
    return new String[] {neg + spelled, text + "/" + len};
  }

  /** A client in 192.0.2.0/28 or 2001:db8::/124, so random entries often hit. */
  private static InetAddress randomClient(Random r) throws Exception {
    if (r.nextBoolean()) {
      return InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) r.nextInt(16)});
    }
    byte[] a = ip("2001:db8::").getAddress();
    a[15] = (byte) r.nextInt(16);
    return InetAddress.getByAddress(a);
  }

  private static String randomName(Random r) {
    String[] parts = {"a", "b", "mail", "example", "com", "net"};
    StringBuilder sb = new StringBuilder(r.nextBoolean() ? "." : "");
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ".").append(parts[r.nextInt(parts.length)]);
    }
    return sb.toString();
  }
}
