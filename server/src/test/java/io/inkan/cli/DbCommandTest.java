package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.dataset.je.JeDataSet;
import io.inkan.testing.Prerequisites;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbCommandTest {
  /** A table in key order with one space between key and value: what export writes back. */
  private static final String TABLE =
      "*@example.net example.net\n"
          + "192.0.2.0/24\n"
          + "example.com example.com:sel2026:/etc/inkan/keys/example.com.private\n"
          + "user@example.org example.org-key:@example.org\n";

  @TempDir Path dir;

  private static CliRunner.Result inkan(String... args) {
    return CliRunner.run(new byte[0], args);
  }

  private Path table(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text);
  }

  private static void assertTable(Path env, String table) throws Exception {
    try (DataSet set =
        JeDataSet.open(
            "db:" + env, new Source("test.conf", 1), KeyCase.SENSITIVE, DataSetOptions.DEFAULTS)) {
      for (String line : table.split("\n")) {
        String[] kv = line.split(" ", 2);
        assertThat(set.lookup(kv[0])).as(kv[0]).isPresent();
        assertThat(set.lookup(kv[0]).get().value()).isEqualTo(kv.length == 1 ? null : kv[1]);
      }
      assertThat(set.localEntries().orElseThrow()).hasSize(table.split("\n").length);
    }
  }

  @Test
  void importsAPlainTableAndExportsItBack() throws Exception {
    Path env = dir.resolve("signing");
    CliRunner.Result imported = inkan("db", "import", table("t", TABLE).toString(), env.toString());
    assertThat(imported.exit()).as(imported.err()).isZero();
    assertThat(imported.err()).isEmpty();
    assertTable(env, TABLE);

    CliRunner.Result stdout = inkan("db", "export", env.toString());
    assertThat(stdout.exit()).as(stdout.err()).isZero();
    assertThat(new String(stdout.out(), StandardCharsets.UTF_8)).isEqualTo(TABLE);

    Path out = dir.resolve("exported");
    assertThat(inkan("db", "export", env.toString(), out.toString()).exit()).isZero();
    assertThat(Files.readString(out)).isEqualTo(TABLE);
  }

  @Test
  void plainTablesKeepOpenDkimFileRules() throws Exception {
    Path src = table("t", "# comment\n  Example.COM   k1 with spaces  # note\n\nexample.com k2\n");
    Path env = dir.resolve("env");
    assertThat(inkan("db", "import", "-v", src.toString(), env.toString()).err())
        .isEqualTo("inkan db import: 2 keys written to " + env + "\n");
    CliRunner.Result out = inkan("db", "export", env.toString(), "-");
    assertThat(new String(out.out(), StandardCharsets.UTF_8))
        .isEqualTo("Example.COM k1 with spaces\nexample.com k2\n");
  }

  @Test
  void caseVariantsExportInTheOrderInsensitiveLookupsNeed() throws Exception {
    Path env = dir.resolve("env");
    inkan("db", "import", table("t", "b.example 1\nB.example 2\n").toString(), env.toString());
    CliRunner.Result out = inkan("db", "export", env.toString());
    assertThat(new String(out.out(), StandardCharsets.UTF_8))
        .isEqualTo("b.example 1\nB.example 2\n");
  }

  @Test
  void importsFromStandardInput() throws Exception {
    Path env = dir.resolve("env");
    CliRunner.Result r =
        CliRunner.run(TABLE.getBytes(StandardCharsets.UTF_8), "db", "import", "-", env.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertTable(env, TABLE);
  }

  @Test
  void aDumpOfACBerkeleyDbImportsToTheSameLookups() throws Exception {
    Prerequisites.require(
        Files.isExecutable(Path.of("/usr/bin/db5.3_load"))
            && Files.isExecutable(Path.of("/usr/bin/db5.3_dump")),
        "db5.3_load and db5.3_dump (Debian package db5.3-util)");
    StringBuilder load = new StringBuilder();
    for (String line : TABLE.split("\n")) {
      String[] kv = line.split(" ", 2);
      load.append(kv[0]).append('\n').append(kv.length == 1 ? "" : kv[1]).append('\n');
    }
    Path loadFile = table("load", load.toString());
    Path db = dir.resolve("signing.db");
    run("/usr/bin/db5.3_load", "-T", "-t", "hash", "-f", loadFile.toString(), db.toString());
    Path dump =
        Files.write(dir.resolve("signing.dump"), run("/usr/bin/db5.3_dump", "-p", db.toString()));

    CliRunner.Result r = inkan("db", "import", dump.toString(), dir.resolve("env").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertTable(dir.resolve("env"), TABLE);
    CliRunner.Result out = inkan("db", "export", dir.resolve("env").toString());
    assertThat(new String(out.out(), StandardCharsets.UTF_8)).isEqualTo(TABLE);

    r = inkan("db", "import", db.toString(), dir.resolve("direct").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertTable(dir.resolve("direct"), TABLE);
  }

  @Test
  void badDumpsFailWithFileAndLine() throws Exception {
    Path dump =
        table("bad.dump", "VERSION=3\nformat=print\ntype=hash\nHEADER=END\n k\n v\\q\nDATA=END\n");
    CliRunner.Result r = inkan("db", "import", dump.toString(), dir.resolve("env").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "inkan db import: "
                + dump
                + ":6: a backslash must be followed by two hex digits or another backslash\n");
    assertThat(dir.resolve("env")).doesNotExist();
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("bad.dump");
    }
  }

  @Test
  void badPlainTablesFailWithFileAndLine() throws Exception {
    Path src =
        Files.write(
            dir.resolve("t"), new byte[] {'a', ' ', 'b', '\n', 'c', ' ', (byte) 0xff, '\n'});
    CliRunner.Result r = inkan("db", "import", src.toString(), dir.resolve("env").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("inkan db import: " + src + ":2: line is not valid UTF-8\n");
  }

  @Test
  void anExistingTableIsReplacedOnlyWhenAsked() throws Exception {
    Path env = dir.resolve("env");
    assertThat(inkan("db", "import", table("one", "k v1\n").toString(), env.toString()).exit())
        .isZero();
    Path two = table("two", "k v2\n");
    CliRunner.Result refused = inkan("db", "import", two.toString(), env.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains(env + " already exists; not replacing it without --replace");
    assertTable(env, "k v1");

    CliRunner.Result replaced = inkan("db", "import", "--replace", two.toString(), env.toString());
    assertThat(replaced.exit()).as(replaced.err()).isZero();
    assertTable(env, "k v2");
    try (var left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("one", "two", "env");
    }

    Path other = Files.createDirectory(dir.resolve("home"));
    Files.writeString(other.resolve("notes.txt"), "mine");
    CliRunner.Result foreign = inkan("db", "import", "--replace", two.toString(), other.toString());
    assertThat(foreign.exit()).isEqualTo(1);
    assertThat(foreign.err()).contains("holds notes.txt, not just a JE environment");
    assertThat(other.resolve("notes.txt")).exists();
  }

  @Test
  void exportRefusesWhatAPlainTableCannotHold() throws Exception {
    Path dump = table("d", "VERSION=3\nformat=print\ntype=btree\nHEADER=END\n k\n a#b\nDATA=END\n");
    assertThat(inkan("db", "import", dump.toString(), dir.resolve("env").toString()).exit())
        .isZero();
    CliRunner.Result r = inkan("db", "export", dir.resolve("env").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("the value of \"k\" holds '#'");
  }

  @Test
  void aMissingSourceFailsNamingIt() {
    Path missing = dir.resolve("nosuch");
    CliRunner.Result r = inkan("db", "import", missing.toString(), dir.resolve("env").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).isEqualTo("inkan db import: " + missing + ": no such file or directory\n");
  }

  @Test
  void exportOfSomethingElseFails() throws Exception {
    CliRunner.Result r = inkan("db", "export", dir.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).startsWith("inkan db export: ").contains("no Berkeley DB Java Edition");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(inkan("db").exit()).isEqualTo(2);
    assertThat(inkan("db", "import", "only-one").exit()).isEqualTo(2);
    assertThat(inkan("db", "export").exit()).isEqualTo(2);
    assertThat(inkan("db", "import", "--help").exit()).isZero();
  }

  private static byte[] run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
    return out;
  }
}
