package io.inkan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSyntaxTest {
  @TempDir Path dir;
  ConfigFiles files;

  @BeforeEach
  void setUp() {
    files = new ConfigFiles(dir);
  }

  @Test
  void emptyFileGivesOpenDkimDefaults() throws Exception {
    LoadedConfig loaded = files.load("");
    Config c = loaded.config();
    assertThat(loaded.warnings()).isEmpty();
    assertThat(c).isEqualTo(Config.defaults());
    assertThat(c.service().mode()).isEqualTo(new OperatingMode(true, true));
    assertThat(c.service().socket()).isEmpty();
    assertThat(c.signing().canonicalization().toString()).isEqualTo("simple/simple");
    assertThat(c.signing().algorithm()).isEqualTo(SigningAlgorithm.RSA_SHA256);
    assertThat(c.signing().requireSafeKeys()).isTrue();
    assertThat(c.signing().signatureTtl()).isEmpty();
    assertThat(c.hosts().internalHosts().spec()).isEqualTo("csl:127.0.0.1,::1");
    assertThat(c.verifying().minimumKeyBits()).isEqualTo(1024);
    assertThat(c.verifying().maximumSignaturesToVerify()).isEqualTo(3);
    assertThat(c.verifying().clockDriftSeconds()).isEqualTo(300);
    assertThat(c.verifying().authservId()).isEqualTo("HOSTNAME");
    assertThat(c.verifying().authservId("mx.example.net")).isEqualTo("mx.example.net");
    assertThat(c.verifying().acceptSha1()).isFalse();
    assertThat(c.actions()).isEqualTo(OnActions.DEFAULTS);
    assertThat(c.actions().dnsError()).isEqualTo(MilterAction.TEMPFAIL);
    assertThat(c.actions().badSignature()).isEqualTo(MilterAction.ACCEPT);
    assertThat(c.actions().signatureError()).isEqualTo(MilterAction.REJECT);
    assertThat(c.dns().timeoutSeconds()).isEqualTo(5);
    assertThat(c.log().facility()).isEqualTo("mail");
  }

  @Test
  void commentsBlanksAndCarriageReturns() throws Exception {
    Config c =
        files.config(
            "# a comment\n\n   \t\n  Selector\t sel1 # trailing comment\r\nDomain example.com#x\n"
                + "Mode v\r\n\tSyslog\tyes\t\n");
    assertThat(c.signing().selector()).contains("sel1");
    assertThat(c.signing().domain().orElseThrow().spec()).isEqualTo("example.com");
    assertThat(c.service().mode()).isEqualTo(new OperatingMode(false, true));
    assertThat(c.log().syslog()).isTrue();
  }

  @Test
  void valueKeepsInnerBlanks() throws Exception {
    Config c = files.config("InternalHosts 192.168.0.0/16, 10.0.0.0/8\n");
    assertThat(c.hosts().internalHosts().spec()).isEqualTo("192.168.0.0/16, 10.0.0.0/8");
  }

  @Test
  void lastLineWithoutNewline() throws Exception {
    assertThat(files.config("Mode s").service().mode()).isEqualTo(new OperatingMode(true, false));
  }

  @Test
  void namesAreCaseInsensitive() throws Exception {
    Config c = files.config("sElEcToR a\nON-BADSIGNATURE reject\numask 007\nx-header yes\n");
    assertThat(c.signing().selector()).contains("a");
    assertThat(c.actions().badSignature()).isEqualTo(MilterAction.REJECT);
    assertThat(c.service().umask()).hasValue(7);
    assertThat(c.service().softwareHeader()).isTrue();
  }

  @Test
  void lastOccurrenceWinsButEveryOneIsChecked() throws Exception {
    assertThat(files.config("Selector a\nSelector b\n").signing().selector()).contains("b");
    assertThat(files.error("Syslog maybe\nSyslog yes\n"))
        .isEqualTo("t.conf:1: Syslog: a Boolean (yes/no, true/false, 1/0), got maybe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"T", "true", "Yes", "y", "1", "10", "yikes"})
  void booleansTrueByFirstCharacter(String v) throws Exception {
    assertThat(files.config("SubDomains " + v).signing().subDomains()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"F", "false", "No", "n", "0", "nope"})
  void booleansFalseByFirstCharacter(String v) throws Exception {
    assertThat(files.config("RequireSafeKeys " + v).signing().requireSafeKeys()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"on", "off", "2", "-1", "enabled"})
  void otherBooleansAreErrors(String v) {
    assertThat(files.error("LogWhy " + v))
        .isEqualTo("t.conf:1: LogWhy: a Boolean (yes/no, true/false, 1/0), got " + v);
  }

  @Test
  void missingValue() {
    assertThat(files.error("\nMode\n")).isEqualTo("t.conf:2: Mode: a value, got ");
    assertThat(files.error("Mode   # only a comment\n")).isEqualTo("t.conf:1: Mode: a value, got ");
  }

  @Test
  void unknownKeyIsAnErrorWithASuggestion() {
    assertThat(files.error("Mode s\nSelecter default\n"))
        .isEqualTo(
            "t.conf:2: Selecter: a key of opendkim.conf(5) or Inkan (did you mean Selector?),"
                + " got an unknown key");
    assertThat(files.error("Frobnicate yes\n"))
        .isEqualTo("t.conf:1: Frobnicate: a key of opendkim.conf(5) or Inkan, got an unknown key");
  }

  @Test
  void notImplementedKeysWarnOncePerLine() throws Exception {
    LoadedConfig loaded =
        files.load("Background no\nAutoRestart yes\nMode s\nSendReports yes\nBackground yes\n");
    assertThat(loaded.warnings()).extracting(ConfigWarning::line).containsExactly(1, 2, 4, 5);
    assertThat(loaded.warnings().get(0).toString())
        .startsWith(
            dir.resolve("t.conf") + ":1: Background: OpenDKIM key not implemented by Inkan (");
    assertThat(loaded.warnings().get(1).message()).contains("service manager");
  }

  @Test
  void notImplementedKeysStillNeedAValue() {
    assertThat(files.error("Background\n")).isEqualTo("t.conf:1: Background: a value, got ");
  }

  @Test
  void deprecatedXHeaderWarns() throws Exception {
    LoadedConfig loaded = files.load("X-Header yes\n");
    assertThat(loaded.warnings())
        .singleElement()
        .extracting(ConfigWarning::message)
        .isEqualTo("deprecated in OpenDKIM; use SoftwareHeader");
  }

  @Test
  void includeIsExpandedInPlaceAndRelativeToTheIncludingFile() throws Exception {
    files.write("sub.conf", "Selector inner\nMode v\n");
    Config c = files.config("Selector outer\nInclude sub.conf\nMode s\n");
    assertThat(c.signing().selector()).contains("inner");
    assertThat(c.service().mode()).isEqualTo(new OperatingMode(true, false));
  }

  @Test
  void errorsInsideAnIncludeNameTheIncludedFile() throws Exception {
    Path sub = files.write("sub.conf", "\n\nClockDrift soon\n");
    assertThatThrownBy(() -> files.load("Include " + sub + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(sub + ":3: ClockDrift: a non-negative integer (seconds), got soon");
  }

  @Test
  void missingIncludeFile() {
    assertThat(files.error("Mode s\nInclude nowhere.conf\n"))
        .isEqualTo("t.conf:2: Include: an existing, readable file, got nowhere.conf");
  }

  @Test
  void missingTopLevelFile() {
    Path none = dir.resolve("none.conf");
    assertThatThrownBy(() -> ConfigLoader.load(none))
        .hasMessage(none + ":0: (file): an existing file, got none");
  }

  @Test
  void includeCycleIsDetected() throws Exception {
    files.write("a.conf", "Include b.conf\n");
    files.write("b.conf", "Mode s\nInclude a.conf\n");
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("a.conf")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            dir.resolve("b.conf") + ":2: Include: a file not already being read")
        .hasMessageContaining("Include cycle")
        .hasMessageEndingWith(", got a.conf");
  }

  @Test
  void selfIncludeIsACycle() {
    assertThat(files.error("Include t.conf\n")).startsWith("t.conf:1: Include: a file not already");
  }

  @Test
  void includeNestsFiveLevelsLikeOpenDkim() throws Exception {
    // OpenDKIM: the top file is level 0, and level > MAXLEVEL (5) fails

    for (int i = 1; i <= 7; i++) {
      files.write("l" + i + ".conf", i == 7 ? "Mode v\n" : "Include l" + (i + 1) + ".conf\n");
    }
    assertThat(ConfigLoader.load(dir.resolve("l2.conf")).config().service().mode().sign())
        .isFalse();
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("l1.conf")))
        .hasMessage(
            dir.resolve("l6.conf") + ":1: Include: at most 5 nested Include levels, got l7.conf");
  }

  @Test
  void notUtf8() throws Exception {
    Path p = dir.resolve("latin1.conf");
    java.nio.file.Files.write(p, new byte[] {'M', 'o', 'd', 'e', ' ', (byte) 0xe9, '\n'});
    assertThatThrownBy(() -> ConfigLoader.load(p))
        .hasMessage(p + ":0: (file): UTF-8 text, got other bytes");
  }
}
