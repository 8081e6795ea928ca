package io.inkan.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.testing.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Real configuration files: Debian's stock one, the seed talk's three examples, OpenDKIM's tests.
 */
class ConfigExamplesTest {

  @Test
  void debian12StockConfigLoadsWithOnlyWarnings() throws Exception {
    LoadedConfig loaded = ConfigLoader.load(ConfigFiles.resource("debian12-opendkim.conf"));
    Config c = loaded.config();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(c.dns().trustAnchorFile().map(DnsSettings.Located::value))
        .contains(Path.of("/usr/share/dns/root.key"));
    assertThat(c.dns().trustAnchorFile().orElseThrow().line()).isPositive();
    assertThat(c.log().syslog()).isTrue();
    assertThat(c.log().syslogSuccess()).isTrue();
    assertThat(c.signing().canonicalization().toString()).isEqualTo("relaxed/simple");
    assertThat(c.signing().oversignHeaders().orElseThrow().added()).containsExactly("From");
    assertThat(c.service().userId()).contains(new UserId("opendkim", Optional.empty()));
    assertThat(c.service().umask()).hasValue(07);
    assertThat(c.service().socket())
        .contains(new SocketSpec.Local(Path.of("/run/opendkim/opendkim.sock")));
    assertThat(c.service().pidFile()).contains(Path.of("/run/opendkim/opendkim.pid"));
  }

  @Test
  void seedExample1SingleDomain() throws Exception {
    LoadedConfig loaded =
        ConfigLoader.load(ConfigFiles.resource("seed-example1-single-domain.conf"));
    Config c = loaded.config();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(c.service().mode()).isEqualTo(OperatingMode.SIGN_AND_VERIFY);
    assertThat(c.service().socket())
        .contains(new SocketSpec.Inet(false, Optional.of("localhost"), 8891));
    assertThat(c.service().userId()).contains(new UserId("opendkim", Optional.of("opendkim")));
    assertThat(c.service().umask()).hasValue(02);
    assertThat(c.log()).isEqualTo(new LogSettings(true, true, true, false, "mail"));
    assertThat(c.signing().domain().orElseThrow().spec()).isEqualTo("example.com");
    assertThat(c.signing().selector()).contains("default");
    assertThat(c.signing().keyFile())
        .contains(Path.of("/etc/opendkim/keys/example.com/default.private"));
  }

  @Test
  void seedExample2Gateway() throws Exception {
    LoadedConfig loaded = ConfigLoader.load(ConfigFiles.resource("seed-example2-gateway.conf"));
    Config c = loaded.config();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(c.signing().keyTable().orElseThrow().kind()).isEqualTo(DataSetRef.Kind.REFILE);
    assertThat(c.signing().signingTable().orElseThrow().body())
        .isEqualTo("/etc/opendkim/SigningTable");
    assertThat(c.hosts().externalIgnoreList().orElseThrow().spec())
        .isEqualTo("refile:/etc/opendkim/IgnoreHosts");
    assertThat(c.hosts().internalHosts().spec()).isEqualTo("refile:/etc/opendkim/InternalHosts");
  }

  @Test
  void seedExample3Xsp() throws Exception {
    LoadedConfig loaded = ConfigLoader.load(ConfigFiles.resource("seed-example3-xsp.conf"));
    Config c = loaded.config();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(c.dns().queryCache()).isTrue();
    assertThat(c.signing().keyTable().orElseThrow().kind()).isEqualTo(DataSetRef.Kind.DSN);
    assertThat(c.signing().signingTable().orElseThrow().kind()).isEqualTo(DataSetRef.Kind.LDAP);
  }

  /**
   * Every opendkim.conf of OpenDKIM's own test suite loads, with one warning per line that uses a
   * key Inkan does not implement, and nothing else.
   */
  @Test
  void openDkimTestSuiteConfigsLoad() throws Exception {
    Path corpus = Prerequisites.corpus("opendkim");
    List<Path> confs;
    try (Stream<Path> s = Files.list(corpus)) {
      confs = s.filter(p -> p.getFileName().toString().matches("t-.*\\.conf")).sorted().toList();
    }
    assertThat(confs).hasSizeGreaterThanOrEqualTo(40);
    TreeMap<String, List<String>> warned = new TreeMap<>();
    for (Path conf : confs) {
      LoadedConfig loaded = ConfigLoader.load(conf);
      List<String> keys = new ArrayList<>();
      for (ConfigWarning w : loaded.warnings()) {
        assertThat(ConfigKeys.find(w.key()).orElseThrow().keyClass())
            .isEqualTo(ConfigKeys.KeyClass.NOT_IMPLEMENTED);
        keys.add(w.key());
      }
      if (!conf.endsWith("t-largecomment.conf")) {
        assertThat(keys).as(conf.toString()).contains("Background");
      }
      warned.put(conf.getFileName().toString(), keys);
    }
    assertThat(warned.get("t-verify-report.conf"))
        .containsExactly(
            "Background", "SendReports", "ReportAddress", "ReportBccAddress", "MTACommand");
    Config largeComment = ConfigLoader.load(corpus.resolve("t-largecomment.conf")).config();
    assertThat(largeComment.service().mode()).isEqualTo(new OperatingMode(false, true));
    Config macro = ConfigLoader.load(corpus.resolve("t-sign-ss-macro-value.conf")).config();
    assertThat(macro.hosts().macroList().orElseThrow().spec()).isEqualTo("testmacro=testvalue");
    assertThat(macro.hosts().internalHosts().spec()).isEqualTo("-");
  }
}
