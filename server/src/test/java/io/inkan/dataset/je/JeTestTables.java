package io.inkan.dataset.je;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Makes tables for the JE tests: plain files, JE environments and C Berkeley DB files. */
final class JeTestTables {
  static final Source CONF = new Source("inkan.conf", 7);

  private JeTestTables() {}

  /** {@code rows} as a plain table, one {@code KEY VALUE} (or {@code KEY}) line each. */
  static Path plain(Path file, Map<String, String> rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    rows.forEach((k, v) -> sb.append(k).append(v == null ? "" : " " + v).append('\n'));
    Files.writeString(file, sb);
    return file;
  }

  /** Imports the table {@code file} into the environment {@code dir}. */
  static Path imported(Path file, Path dir, boolean replace) throws Exception {
    TableInstall.install(TableImport.read(file), dir, replace);
    return dir;
  }

  static DataSet open(Path dir, KeyCase keyCase) throws Exception {
    return JeDataSet.open("db:" + dir, CONF, keyCase, DataSetOptions.DEFAULTS);
  }

  /** Skips (fails on CI) without Debian's db5.3-util. */
  static void requireDb53() {
    Prerequisites.require(
        Files.isExecutable(Path.of("/usr/bin/db5.3_load"))
            && Files.isExecutable(Path.of("/usr/bin/db5.3_dump")),
        "db5.3_load and db5.3_dump (Debian package db5.3-util)");
  }

  /**
   * A C Berkeley DB file of {@code type} made by db5.3_load from {@code rows}; with {@code nul},
   * keys and values end in a NUL as {@code makemap -N} writes them.
   */
  static Path cBerkeleyDb(Path file, String type, Map<String, String> rows, boolean nul)
      throws Exception {
    StringBuilder sb = new StringBuilder();
    String end = nul ? "\\00" : "";
    rows.forEach(
        (k, v) ->
            sb.append(escape(k))
                .append(end)
                .append('\n')
                .append(v == null ? "" : escape(v))
                .append(v == null ? "" : end)
                .append('\n'));
    Path input = Files.writeString(file.resolveSibling(file.getFileName() + ".load"), sb);
    run("/usr/bin/db5.3_load", "-T", "-t", type, "-f", input.toString(), file.toString());
    return file;
  }

  /** {@code db5.3_dump -p file}. */
  static byte[] dump(Path file) throws Exception {
    return run("/usr/bin/db5.3_dump", "-p", file.toString());
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\");
  }

  static byte[] run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as(String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8))
        .isZero();
    return out;
  }
}
