package io.inkan.dataset.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.dataset.Walkable;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing every row of a {@code dsn:} set through the cache, over SQLite. */
class SqlListingTest {
  private static final Source AT = new Source("/etc/inkan.conf", 9);

  @TempDir Path dir;

  @Test
  void listsEveryRowThatPassesTheFilterInKeyOrder() throws Exception {
    TestDatabase db = TestDatabase.sqlite(dir.resolve("keys.db"));
    db.createKeyValueTable(
        "keytable",
        Map.of("k2", "example.net:s2:/keys/2", "k1", "example.com:s1:/keys/1", "k3", "x:y:z"));
    db.execute("UPDATE keytable SET active = 0 WHERE k = 'k3'");
    try (DataSet set =
        SqlDataSet.open(
            db.dsn("keytable", "keycol=k?datacol=v,active?filter=active=1"),
            AT,
            KeyCase.INSENSITIVE,
            DataSetOptions.DEFAULTS)) {
      assertThat(Walkable.entriesOf(set).orElseThrow())
          .containsExactly(
              new DataSetEntry("k1", "example.com:s1:/keys/1:1", AT),
              new DataSetEntry("k2", "example.net:s2:/keys/2:1", AT));
    }
  }

  @Test
  void aFailedListingIsUnavailable() throws Exception {
    TestDatabase db = TestDatabase.sqlite(dir.resolve("keys.db"));
    db.createKeyValueTable("keytable", Map.of("k1", "v"));
    try (DataSet set =
        SqlDataSet.open(
            db.dsn("keytable", "keycol=k?datacol=v"),
            AT,
            KeyCase.INSENSITIVE,
            DataSetOptions.DEFAULTS)) {
      db.drop("keytable");
      assertThatThrownBy(() -> Walkable.entriesOf(set))
          .isInstanceOf(DataSetUnavailableException.class)
          .hasMessageStartingWith(AT + ": data set \"")
          .hasMessageContaining("listing failed");
    }
  }
}
