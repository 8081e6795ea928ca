package io.inkan.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostListTest {
  @TempDir Path dir;

  private static HostList hosts(String csl) throws DataSetException {
    return HostList.of(DataSets.parse("csl:" + csl, "inkan.conf", 1));
  }

  /** A literal only: never a DNS lookup. */
  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void defaultInternalHostsIsLoopbackOnly() throws Exception {
    HostList d = HostList.defaultInternalHosts();
    assertThat(d.matches(ip("127.0.0.1"), null)).isTrue();
    assertThat(d.matches(ip("::1"), null)).isTrue();
    assertThat(d.matches(ip("127.0.0.2"), null)).isFalse();
    assertThat(d.matches(ip("192.0.2.1"), "localhost")).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
    "192.0.2.1, 192.0.2.1, true",
    "192.0.2.1, 192.0.2.2, false",
    "[192.0.2.1], 192.0.2.1, true",
    "192.0.2.0/24, 192.0.2.255, true",
    "192.0.2.0/24, 192.0.3.0, false",
    "[192.0.2.0]/24, 192.0.2.9, true",
    "192.0.2.1/32, 192.0.2.1, true",
    "10.0.0.0/8, 10.255.1.2, true",
    "0.0.0.0/0, 203.0.113.7, true",
    "0.0.0.0/0, 2001:db8::1, false",
    "2001:db8::1, 2001:db8::1, true",
    "2001:DB8:0:0::1, 2001:db8::1, true",
    "[2001:db8::1], 2001:db8::1, true",
    "2001:db8::/32, 2001:db8:ffff::1, true",
    "2001:db8::/32, 2001:db9::1, false",
    "[2001:db8::]/32, 2001:db8::5, true",
    "2001:db8::/127, 2001:db8::1, true",
    "2001:db8::/127, 2001:db8::2, false",
    "::/0, 2001:db8::1, true",
    "::/0, 192.0.2.1, false",
    "fe80::/10, fe80::1234:5678, true",
    "::1, ::1, true",
    "::1, 127.0.0.1, false",
  })
  void addressForms(String entry, String client, boolean expected) throws Exception {
    assertThat(hosts(entry).matches(ip(client), null)).isEqualTo(expected);
  }

  @Test
  void ipv4MappedClientsAreIpv4Clients() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
    InetAddress inet6 = Inet6Address.getByAddress(null, mapped, -1);
    assertThat(inet6).isInstanceOf(Inet6Address.class);
    assertThat(hosts("192.0.2.0/24").matches(inet6, null)).isTrue();
    assertThat(hosts("192.0.2.0/24").matches(ip("::ffff:192.0.2.1"), null)).isTrue();
    assertThat(hosts("::ffff:192.0.2.0/120").matches(ip("192.0.2.77"), null)).isTrue();
    assertThat(hosts("::ffff:192.0.2.1").matches(inet6, null)).isTrue();
    assertThat(hosts("::ffff:192.0.2.1").matches(ip("192.0.2.2"), null)).isFalse();
    assertThat(hosts("::/0").matches(inet6, null)).isFalse();
    assertThat(hosts("!::ffff:192.0.2.1,192.0.2.0/24").matches(ip("192.0.2.1"), null)).isFalse();
  }

  @Test
  void hostnamesExactAndSuffixIgnoringCase() throws Exception {
    HostList h = hosts("mail.example.com,.example.net");
    assertThat(h.matches(null, "MAIL.Example.COM")).isTrue();
    assertThat(h.matches(null, "mail.example.com.")).isTrue();
    assertThat(h.matches(null, "other.example.com")).isFalse();
    assertThat(h.matches(null, "x.mail.example.com")).isFalse();
    assertThat(h.matches(null, "a.b.example.net")).isTrue();
    assertThat(h.matches(null, "example.net")).isFalse();
    assertThat(h.matches(null, "badexample.net")).isFalse();
    assertThat(h.matches(null, "[192.0.2.1]")).isFalse();
    assertThat(h.matches(null, "")).isFalse();
    assertThat(h.matches(null, null)).isFalse();
    assertThat(hosts("example.net,.example.net").matches(null, "example.net")).isTrue();
  }

  @Test
  void moreSpecificEntriesWinAndNegationWinsAtEqualSpecificity() throws Exception {
    // opendkim.conf(5) PeerList: "192.168.1.1" will match before "!192.168.1.0/24".
    HostList manual = hosts("!192.168.1.0/24,192.168.1.1,192.168.0.0/16");
    assertThat(manual.matches(ip("192.168.1.1"), null)).isTrue();
    assertThat(manual.matches(ip("192.168.1.2"), null)).isFalse();
    assertThat(manual.matches(ip("192.168.2.2"), null)).isTrue();

    HostList sameLength = hosts("192.0.2.0/24,!192.0.2.0/24");
    assertThat(sameLength.matches(ip("192.0.2.3"), null)).isFalse();
    HostList v6 = hosts("2001:db8::/32,!2001:db8:bad::/48,2001:db8:bad::1");
    assertThat(v6.matches(ip("2001:db8::1"), null)).isTrue();
    assertThat(v6.matches(ip("2001:db8:bad::2"), null)).isFalse();
    assertThat(v6.matches(ip("2001:db8:bad::1"), null)).isTrue();

    HostList names = hosts(".example.com,!bad.example.com,!.lab.example.com,ok.lab.example.com");
    assertThat(names.matches(null, "good.example.com")).isTrue();
    assertThat(names.matches(null, "bad.example.com")).isFalse();
    assertThat(names.matches(null, "x.lab.example.com")).isFalse();
    assertThat(names.matches(null, "ok.lab.example.com")).isTrue();
    assertThat(hosts("!.example.com,.example.com").matches(null, "a.example.com")).isFalse();
  }

  @Test
  void negatedNameDoesNotStopTheAddressCheckAsInOpenDkim() throws Exception {
    HostList h = hosts("!bad.example.com,192.0.2.0/24");
    assertThat(h.matches(ip("192.0.2.5"), "bad.example.com")).isTrue();
    assertThat(h.matchesHostname("bad.example.com")).isFalse();
    assertThat(hosts("!192.0.2.5,.example.com").matches(ip("192.0.2.5"), "a.example.com")).isTrue();
    assertThat(hosts("!192.0.2.5,192.0.2.0/24").matches(ip("192.0.2.5"), "a.example.com"))
        .isFalse();
  }

  @Test
  void fileHostListWithCommentsAndValuesIgnored() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("internal"),
            "# internal hosts\n127.0.0.1\n::1\n192.0.2.0/24   office\n!192.0.2.66\n.corp.example\n");
    HostList h = HostList.of(DataSets.parse("file:" + f, "inkan.conf", 2));
    assertThat(h.matches(ip("192.0.2.10"), null)).isTrue();
    assertThat(h.matches(ip("192.0.2.66"), null)).isFalse();
    assertThat(h.matches(ip("198.51.100.1"), "pc1.corp.example")).isTrue();
  }

  @Test
  void badEntryNamesTheDataSetFileLine() throws Exception {
    Path f = Files.writeString(dir.resolve("peers"), "127.0.0.1\n\n# x\n192.0.2.0/33\n");
    DataSet set = DataSets.parse("file:" + f, "/etc/inkan.conf", 30);
    assertThatThrownBy(() -> HostList.of(set))
        .isInstanceOf(DataSetException.class)
        .hasMessage(
            "/etc/inkan.conf:30: data set \"file:"
                + f
                + "\": "
                + f
                + ":4: \"192.0.2.0/33\": the prefix length must be a number from 0 to 32");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "192.0.2.0/255.255.255.0 | OpenDKIM takes prefix lengths, not netmasks; write /24",
        "192.0.2.0/255.0.255.0 | not contiguous",
        "192.0.2.5/24 | bits set past the /24 prefix",
        "2001:db8::1/32 | bits set past the /32 prefix",
        "2001:db8::/129 | from 0 to 128",
        "192.0.2.0/ | from 0 to 32",
        "192.0.2.0/x | from 0 to 32",
        "999.0.0.1 | not a valid IPv4 or IPv6",
        "192.0.2 | not a valid IPv4 or IPv6",
        "010.0.0.1 | not a valid IPv4 or IPv6",
        "2001:db8:::1 | not a valid IPv4 or IPv6",
        "fe80::1%eth0 | not a valid IPv4 or IPv6",
        "[mail.example.com] | not a valid IPv4 or IPv6",
        "[192.0.2.1 | unbalanced square bracket",
        "! | nothing after",
        "::ffff:0:0/95 | at least /96",
      })
  void badEntriesAreErrors(String entry, String message) {
    assertThatThrownBy(() -> hosts(entry))
        .isInstanceOf(DataSetException.class)
        .hasMessageStartingWith("inkan.conf:1: data set \"csl:" + entry + "\": \"")
        .hasMessageContaining(message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "::",
        "1::",
        "::1",
        "1:2:3:4:5:6:7:8",
        "1::8",
        "::ffff:1.2.3.4",
        "1:2:3:4:5:6:1.2.3.4",
        "ABCD:ef01::"
      })
  void ipv6ParserAgreesWithTheJdkOnValidLiterals(String literal) throws Exception {
    long[] v = IpText.parseIpv6(literal);
    assertThat(v).isNotNull();
    byte[] jdk = InetAddress.getByName(literal).getAddress();
    if (jdk.length == 4) {
      assertThat(v[0]).isZero();
      assertThat(v[1])
          .isEqualTo(
              0xffff_0000_0000L | (Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(jdk).getInt())));
    } else {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(jdk);
      assertThat(new long[] {b.getLong(), b.getLong()}).containsExactly(v);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":",
        ":::",
        "1:",
        ":1",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2::3",
        "12345::",
        "g::",
        "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3",
        "::1.2.3.4.5",
        "1.2.3.4",
        "::١"
      })
  void ipv6ParserRejects(String text) {
    assertThat(IpText.parseIpv6(text)).isNull();
  }

  @Test
  void refileHostListsAreRejectedForNow() throws Exception {
    Path f = Files.writeString(dir.resolve("re"), "*.example.com\n");
    assertThatThrownBy(() -> HostList.of(DataSets.parse("refile:" + f, "c", 1)))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("refile:, SQL and LDAP host lists are not supported");
  }
}
