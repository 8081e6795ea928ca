package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
  @TempDir Path dir;

  @Test
  void checkOnlyAcceptsAValidConfiguration() throws Exception {
    Path conf = Files.writeString(dir.resolve("ok.conf"), "Mode v\nSocket inet:8891@127.0.0.1\n");
    CliRunner.Result r = CliRunner.run(new byte[0], "serve", "-x", conf.toString(), "-n");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.outText()).contains("is valid");
  }

  @Test
  void configurationErrorsExit78NamingFileAndLine() throws Exception {
    Path conf = Files.writeString(dir.resolve("bad.conf"), "Mode v\nSelecter x\n");
    CliRunner.Result r = CliRunner.run(new byte[0], "serve", "-x", conf.toString(), "-n");
    assertThat(r.exit()).isEqualTo(78);
    assertThat(r.err()).contains(conf + ":2: Selecter");
  }

  @Test
  void anOpenNetworkSocketNeedsAnAllowlist() throws Exception {
    Path conf = Files.writeString(dir.resolve("open.conf"), "Mode v\nSocket inet:8891@0.0.0.0\n");
    CliRunner.Result r = CliRunner.run(new byte[0], "serve", "-x", conf.toString(), "-n");
    assertThat(r.exit()).isEqualTo(78);
    assertThat(r.err()).contains("MilterAllowedClients");
    Files.writeString(
        conf, "MilterAllowedClients 192.0.2.25\n", java.nio.file.StandardOpenOption.APPEND);
    assertThat(CliRunner.run(new byte[0], "serve", "-x", conf.toString(), "-n").exit()).isZero();
  }

  @Test
  void missingSocketIsAConfigurationError() throws Exception {
    Path conf = Files.writeString(dir.resolve("nosock.conf"), "Mode v\n");
    CliRunner.Result r = CliRunner.run(new byte[0], "serve", "-x", conf.toString(), "-n");
    assertThat(r.exit()).isEqualTo(78);
    assertThat(r.err()).contains("Socket: required");
  }

  @Test
  void embeddedDefaultMakesAKeyOnceAndPrintsTheRecord() throws Exception {
    Path state = dir.resolve("state");
    CliRunner.Result first =
        CliRunner.run(
            new byte[0], "serve", "--domain", "example.com", "--state-dir", state.toString(), "-n");
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.outText())
        .contains("made a new RSA-2048 key")
        .contains("default._domainkey.example.com.")
        .contains("p=");
    Path key = state.resolve("keys/example.com.default.private");
    String pem = Files.readString(key);
    CliRunner.Result second =
        CliRunner.run(
            new byte[0], "serve", "--domain", "example.com", "--state-dir", state.toString(), "-n");
    assertThat(second.exit()).isZero();
    assertThat(second.outText()).doesNotContain("made a new");
    assertThat(Files.readString(key)).isEqualTo(pem);
  }
}
