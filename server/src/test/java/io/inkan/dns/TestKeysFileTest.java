package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyLookupResult.TxtRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestKeysFileTest {

  private static KeyLookupResult lookup(String file, String name) throws Exception {
    return TestKeysFile.parse("keys", file).lookup(name).toCompletableFuture().join();
  }

  private static List<String> texts(KeyLookupResult r) {
    assertThat(r).isInstanceOf(KeyLookupResult.Found.class);
    return ((KeyLookupResult.Found) r).records().stream().map(TxtRecord::text).toList();
  }

  @Test
  void bareValueRunsToTheEndOfTheLine() throws Exception {
    String f = "# comment\n\ns1._domainkey.example.com  v=DKIM1; k=rsa; p=AB CD\n";
    assertThat(texts(lookup(f, "S1._domainkey.example.com.")))
        .containsExactly("v=DKIM1; k=rsa; p=AB CD");
  }

  @Test
  void zoneStyleJoinsStringsAcrossLinesAndIgnoresTheComment() throws Exception {
    String f =
        "sel._domainkey.example.com sel._domainkey\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=rsa; \"\n"
            + "\t  \"p=MIIB\"\n\t  \"IjAN\" )  ; ----- DKIM key sel for example.com\n"
            + "other._domainkey.example.com IN TXT \"a\\\"b\\059c\"\n";
    assertThat(texts(lookup(f, "sel._domainkey.example.com")))
        .containsExactly("v=DKIM1; h=sha256; k=rsa; p=MIIBIjAN");
    assertThat(texts(lookup(f, "other._domainkey.example.com"))).containsExactly("a\"b;c");
  }

  @Test
  void repeatedNamesGiveSeveralRecords() throws Exception {
    String f = "x._domainkey.d v=DKIM1; p=A\nx._domainkey.d v=spf1 -all\n";
    assertThat(texts(lookup(f, "x._domainkey.d"))).containsExactly("v=DKIM1; p=A", "v=spf1 -all");
  }

  @Test
  void specialValuesAndUnknownNames() throws Exception {
    String f = "a._domainkey.d NXDOMAIN\nb._domainkey.d SERVFAIL\n";
    assertThat(lookup(f, "a._domainkey.d")).isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(lookup(f, "b._domainkey.d")).isInstanceOf(KeyLookupResult.TempFail.class);
    assertThat(lookup(f, "c._domainkey.d")).isInstanceOf(KeyLookupResult.NxDomain.class);
  }

  @Test
  void malformedLinesAreNamedByNumber() {
    assertThatThrownBy(() -> TestKeysFile.parse("keys", "# c\nlonely\n"))
        .hasMessage("keys:2: no value after the name lonely");
    assertThatThrownBy(() -> TestKeysFile.parse("keys", "\n\nn IN TXT ( \"abc\"\n"))
        .hasMessage("keys:3: unclosed parenthesis");
    assertThatThrownBy(() -> TestKeysFile.parse("keys", "n IN TXT \"abc\n"))
        .hasMessage("keys:1: unterminated quoted string");
    assertThatThrownBy(() -> TestKeysFile.parse("keys", "n \"a\\999\"\n"))
        .hasMessage("keys:1: \\DDD escape above 255");
  }
}
