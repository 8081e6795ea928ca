package io.inkan.dataset.je;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.KeyCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Tables OpenDKIM kept in C Berkeley DB files, made here by Debian's db5.3_load, come out of an
 * import with the same lookups: through a {@code db5.3_dump -p} file and from the file itself.
 */
class CBerkeleyDbImportTest {
  @TempDir Path dir;

  static Map<String, String> table() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("example.com", "example.com:sel2026:/etc/inkan/keys/example.com.private");
    m.put("*@Example.NET", "example.net");
    m.put("back\\slash.example", "v:with:colons");
    m.put("192.0.2.0/24", null);
    m.put("b\u00fccher.example", "\u20ac-key");
    return m;
  }

  @ParameterizedTest
  @CsvSource({"hash,false,true", "btree,false,true", "hash,true,true", "btree,true,false"})
  void importedTablesAnswerLikeTheOriginal(String type, boolean nul, boolean viaDumpFile)
      throws Exception {
    JeTestTables.requireDb53();
    Path db = JeTestTables.cBerkeleyDb(dir.resolve("signing.db"), type, table(), nul);
    Path source = db;
    if (viaDumpFile) {
      source = Files.write(dir.resolve("signing.dump"), JeTestTables.dump(db));
    }
    Path env = JeTestTables.imported(source, dir.resolve("signing"), false);
    try (DataSet set = JeTestTables.open(env, KeyCase.SENSITIVE)) {
      for (Map.Entry<String, String> row : table().entrySet()) {
        Optional<DataSetEntry> found = set.lookup(row.getKey());
        assertThat(found).as(row.getKey()).isPresent();
        assertThat(found.get().value()).as(row.getKey()).isEqualTo(row.getValue());
      }
      assertThat(set.localEntries().orElseThrow()).hasSize(table().size());
      assertThat(set.lookup("example.com\u0000")).isEmpty();
    }
  }
}
