package io.inkan.dataset.je;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.KeyCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JeDataSetTest {
  @TempDir Path dir;

  private Path env(Map<String, String> rows) throws Exception {
    return JeTestTables.imported(
        JeTestTables.plain(dir.resolve("table"), rows), dir.resolve("env"), false);
  }

  private static Map<String, String> rows(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void insensitiveSetsIgnoreAsciiCaseBothWays() throws Exception {
    Path env = env(rows("example.com", "lower-key", "Mixed.ORG", "mixed-key"));
    try (DataSet set = JeTestTables.open(env, KeyCase.INSENSITIVE)) {
      assertThat(set.lookup("Example.COM").orElseThrow())
          .extracting(DataSetEntry::key, DataSetEntry::value)
          .containsExactly("example.com", "lower-key");
      assertThat(set.lookup("mixed.org").orElseThrow())
          .extracting(DataSetEntry::key, DataSetEntry::value)
          .containsExactly("Mixed.ORG", "mixed-key");
      assertThat(set.lookup("MIXED.ORG")).isPresent();
      assertThat(set.lookup("mixed.org.")).isEmpty();
    }
  }

  @Test
  void sensitiveSetsMatchExactly() throws Exception {
    Path env = env(rows("example.com", "lower-key", "Mixed.ORG", "mixed-key"));
    try (DataSet set = JeTestTables.open(env, KeyCase.SENSITIVE)) {
      assertThat(set.get("example.com")).hasValue(List.of("lower-key"));
      assertThat(set.lookup("Example.COM")).isEmpty();
      assertThat(set.get("Mixed.ORG")).hasValue(List.of("mixed-key"));
      assertThat(set.lookup("mixed.org")).isEmpty();
    }
  }

  @Test
  void theFirstOfKeysDifferingInCaseWinsInsensitiveLookups() throws Exception {
    Path env = env(rows("Example.com", "first", "example.com", "second"));
    try (DataSet insensitive = JeTestTables.open(env, KeyCase.INSENSITIVE);
        DataSet sensitive = JeTestTables.open(env, KeyCase.SENSITIVE)) {
      assertThat(insensitive.get("example.com")).hasValue(List.of("first"));
      assertThat(insensitive.get("EXAMPLE.COM")).hasValue(List.of("first"));
      assertThat(sensitive.get("example.com")).hasValue(List.of("second"));
      assertThat(sensitive.get("Example.com")).hasValue(List.of("first"));
    }
  }

  @Test
  void aKeyAloneHasNoValue() throws Exception {
    Path env = env(rows("192.0.2.1", null, "host.example", "x"));
    try (DataSet set = JeTestTables.open(env, KeyCase.INSENSITIVE)) {
      DataSetEntry e = set.lookup("192.0.2.1").orElseThrow();
      assertThat(e.hasValue()).isFalse();
      assertThat(e.values()).isEmpty();
      assertThat(set.contains("HOST.example")).isTrue();
    }
  }

  @Test
  void unencodableKeysAreMisses() throws Exception {
    Path env = env(rows("?", "question"));
    try (DataSet set = JeTestTables.open(env, KeyCase.SENSITIVE)) {
      assertThat(set.lookup("\uD800")).isEmpty();
      assertThat(set.lookup("?")).isPresent();
    }
  }

  @Test
  void smallTablesAreWalkedInKeyOrderLargeOnesAreNot() throws Exception {
    Path env = env(rows("b", "2", "a", "1", "c", null));
    try (DataSet set = JeTestTables.open(env, KeyCase.INSENSITIVE)) {
      assertThat(set.localEntries().orElseThrow())
          .extracting(DataSetEntry::key, DataSetEntry::value)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("a", "1"),
              org.assertj.core.groups.Tuple.tuple("b", "2"),
              org.assertj.core.groups.Tuple.tuple("c", null));
    }
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i <= JeDataSet.LOCAL_ENTRIES_LIMIT; i++) {
      many.put("host" + i + ".example", "k" + i);
    }
    Path big =
        JeTestTables.imported(
            JeTestTables.plain(dir.resolve("big"), many), dir.resolve("big-env"), false);
    try (DataSet set = JeTestTables.open(big, KeyCase.INSENSITIVE)) {
      assertThat(set.localEntries()).isEmpty();
      assertThat(set.get("HOST10000.example")).hasValue(List.of("k10000"));
    }
  }

  @Test
  void specFormsAndSourceAreKept() throws Exception {
    Path env = env(rows("a", "1"));
    Path named = Files.move(env, dir.resolve("keys.db"));
    for (String spec : List.of("db:" + named, "DB:" + named, named.toString())) {
      try (DataSet set =
          JeDataSet.open(spec, JeTestTables.CONF, KeyCase.INSENSITIVE, DataSetOptions.DEFAULTS)) {
        assertThat(set.spec()).isEqualTo(spec);
        assertThat(set.declaredAt()).isEqualTo(JeTestTables.CONF);
        assertThat(set.patternKeys()).isFalse();
        assertThat(set.lookup("A").orElseThrow().source().file())
            .isEqualTo(named.toRealPath().toString());
      }
    }
  }

  @Test
  void badSpecsAndMissingOrForeignDirectoriesFailClearly() throws Exception {
    assertThat(openFails("db:")).contains("inkan.conf:7").contains("no directory after db:");
    assertThat(openFails("db:" + dir.resolve("nosuch")))
        .contains("no such directory")
        .contains("inkan db import TABLE " + dir.resolve("nosuch"));
    assertThat(openFails("db:" + dir)).contains("holds no Berkeley DB Java Edition environment");
    Path text = Files.writeString(dir.resolve("hosts.db"), "example.com\n");
    assertThat(openFails(text.toString())).contains("a file, not a Berkeley DB Java Edition");

    Path foreign = Files.createDirectory(dir.resolve("foreign"));
    EnvironmentConfig config = new EnvironmentConfig().setAllowCreate(true);
    try (Environment env = new Environment(foreign.toFile(), config);
        Database db = env.openDatabase(null, "other", new DatabaseConfig().setAllowCreate(true))) {
      assertThat(db.getDatabaseName()).isEqualTo("other");
    }
    assertThat(openFails("db:" + foreign)).contains("without Inkan's databases");
  }

  @Test
  void headersOfCBerkeleyDbFilesAreRecognisedInBothByteOrders() throws Exception {
    for (int magic : new int[] {0x053162, 0x061561}) {
      for (boolean big : new boolean[] {false, true}) {
        byte[] page = new byte[512];
        int m = big ? Integer.reverseBytes(magic) : magic;
        for (int i = 0; i < 4; i++) {
          page[12 + i] = (byte) (m >>> (8 * i));
        }
        Path file = Files.write(dir.resolve("t" + magic + big + ".db"), page);
        assertThat(BerkeleyDbFiles.kind(file)).hasValue(magic == 0x053162 ? "btree" : "hash");
        assertThat(openFails(file.toString())).contains("C Berkeley DB");
      }
    }
    assertThat(BerkeleyDbFiles.kind(Files.writeString(dir.resolve("plain"), "a b\nc d\n")))
        .isEmpty();
  }

  @Test
  void realCBerkeleyDbFilesNameTheConversion() throws Exception {
    JeTestTables.requireDb53();
    for (String type : List.of("hash", "btree")) {
      Path file = JeTestTables.cBerkeleyDb(dir.resolve(type + ".db"), type, rows("a", "1"), false);
      assertThat(openFails("db:" + file))
          .contains("a C Berkeley DB " + type + " file")
          .contains("inkan db import " + file + " NEW-DIR")
          .contains("db:NEW-DIR");
    }
  }

  @Test
  void setsOnOneDirectoryShareTheEnvironmentAndItsRefresh() throws Exception {
    Path env = env(rows("k", "old"));
    DataSet a = JeTestTables.open(env, KeyCase.INSENSITIVE);
    DataSet b = JeTestTables.open(env, KeyCase.SENSITIVE);
    JeTestTables.imported(JeTestTables.plain(dir.resolve("table"), rows("k", "new")), env, true);
    assertThat(b.get("k")).hasValue(List.of("old"));
    a.dropCache();
    assertThat(b.get("k")).hasValue(List.of("new"));
    a.close();
    assertThat(b.get("k")).hasValue(List.of("new"));
    assertThatThrownBy(() -> a.lookup("k")).isInstanceOf(DataSetUnavailableException.class);
    b.close();
  }

  @Test
  void aVanishedEnvironmentIsUnavailableUntilItIsBack() throws Exception {
    Path env = env(rows("k", "v"));
    try (DataSet set = JeTestTables.open(env, KeyCase.INSENSITIVE)) {
      Path aside = Files.move(env, dir.resolve("aside"));
      set.dropCache();
      assertThatThrownBy(() -> set.lookup("k"))
          .isInstanceOf(DataSetUnavailableException.class)
          .hasMessageContaining(env.toString());
      Files.move(aside, env);
      set.dropCache();
      assertThat(set.get("k")).hasValue(List.of("v"));
    }
  }

  @Test
  void lookupsRunConcurrentlyWithReopening() throws Exception {
    Map<String, String> rows = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      rows.put("user" + i + "@example.org", "key" + i);
    }
    Path env = env(rows);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicBoolean stop = new AtomicBoolean();
    try (DataSet set = JeTestTables.open(env, KeyCase.INSENSITIVE)) {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        readers.add(
            pool.submit(
                () -> {
                  int n = 0;
                  while (!stop.get()) {
                    int i = n++ % 200;
                    assertThat(set.get("USER" + i + "@example.org")).hasValue(List.of("key" + i));
                  }
                  return n;
                }));
      }
      for (int r = 0; r < 20; r++) {
        set.dropCache();
        Thread.sleep(5);
      }
      stop.set(true);
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      stop.set(true);
      pool.shutdownNow();
    }
  }

  private String openFails(String spec) {
    try {
      JeDataSet.open(spec, JeTestTables.CONF, KeyCase.INSENSITIVE, DataSetOptions.DEFAULTS).close();
    } catch (DataSetException e) {
      assertThat(e.declaredAt()).isEqualTo(JeTestTables.CONF);
      return e.getMessage();
    }
    throw new AssertionError(spec + " opened");
  }
}
