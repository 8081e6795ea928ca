package io.inkan.dataset.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What each backend must agree on beyond the common contract: case, columns, filters, types. */
class SqlBackendsTest {
  private static final Source AT = new Source("test.conf", 4);
  private static final DataSetOptions NO_CACHE =
      new DataSetOptions(DataSetOptions.LdapOptions.DEFAULTS, false, Duration.ZERO, Duration.ZERO);

  @TempDir static Path dir;

  private final List<Runnable> cleanup = new ArrayList<>();

  static Stream<String> backends() {
    return Stream.of("mariadb", "postgresql", "sqlite");
  }

  private TestDatabase db(String backend) {
    TestDatabase db =
        switch (backend) {
          case "mariadb" -> TestDatabase.mariaDb();
          case "postgresql" -> TestDatabase.postgreSql();
          default -> TestDatabase.sqlite(dir.resolve("backends.db"));
        };
    return db.require();
  }

  private String table(TestDatabase db, String columns, String... rows) throws Exception {
    String table = TestDatabase.uniqueTable("inkan_be");
    cleanup.add(
        () -> {
          try {
            db.drop(table);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    db.execute("CREATE TABLE " + table + " (" + columns + ")" + db.charset());
    for (String values : rows) {
      db.execute("INSERT INTO " + table + " VALUES (" + values + ")");
    }
    return table;
  }

  private DataSet open(TestDatabase db, String table, String parameters, KeyCase keyCase)
      throws DataSetException {
    DataSet set = SqlDataSet.open(db.dsn(table, parameters), AT, keyCase, NO_CACHE);
    cleanup.add(0, set::close);
    return set;
  }

  @AfterEach
  void cleanUp() {
    cleanup.forEach(Runnable::run);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void ignoringCaseFindsTheRowAndNamesItsKeyAsStored(String backend) throws Exception {
    TestDatabase db = db(backend);
    String t = table(db, "k VARCHAR(100), v VARCHAR(100)", "'Example.COM', 'v1'");
    DataSet set = open(db, t, "keycol=k?datacol=v", KeyCase.INSENSITIVE);
    assertThat(set.lookup("example.com"))
        .hasValueSatisfying(e -> assertThat(e.key()).isEqualTo("Example.COM"));
    assertThat(set.lookup("EXAMPLE.com")).isPresent();
    assertThat(set.lookup("example.co")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void respectingCaseFindsOnlyTheExactKey(String backend) throws Exception {
    TestDatabase db = db(backend);
    String t = table(db, "k VARCHAR(100), v VARCHAR(100)", "'Example.COM', 'v1'");
    DataSet set = open(db, t, "keycol=k?datacol=v", KeyCase.SENSITIVE);
    assertThat(set.get("Example.COM")).hasValue(List.of("v1"));
    assertThat(set.lookup("example.com")).isEmpty();
    assertThat(set.lookup("Example.COM ")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void dataColumnsJoinWithColonsInOrderAndNullIsEmpty(String backend) throws Exception {
    TestDatabase db = db(backend);
    String t =
        table(
            db,
            "id VARCHAR(20), dom VARCHAR(100), sel VARCHAR(100), keydata VARCHAR(100)",
            "'1', 'example.com', 'sel1', '/keys/a:b'",
            "'2', 'example.net', NULL, NULL");
    DataSet set = open(db, t, "keycol=id?datacol=dom,sel,keydata", KeyCase.SENSITIVE);
    assertThat(set.lookup("1").orElseThrow().value()).isEqualTo("example.com:sel1:/keys/a:b");
    assertThat(set.lookup("1").orElseThrow().values(3))
        .containsExactly("example.com", "sel1", "/keys/a:b");
    assertThat(set.lookup("2").orElseThrow().value()).isEqualTo("example.net::");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void theFilterNarrowsTheRows(String backend) throws Exception {
    TestDatabase db = db(backend);
    String t =
        table(
            db,
            "k VARCHAR(100), v VARCHAR(100), prio INT",
            "'a.example', 'low', 1",
            "'b.example', 'high', 9",
            "'c.example', NULL, 9");
    DataSet set =
        open(db, t, "keycol=k?datacol=v?filter=prio > 5 OR v IS NULL", KeyCase.INSENSITIVE);
    assertThat(set.lookup("a.example")).isEmpty(); // the filter is ANDed in parentheses
    assertThat(set.get("b.example")).hasValue(List.of("high"));
    assertThat(set.get("c.example")).hasValue(List.of(""));
  }

  @ParameterizedTest
  @MethodSource("backends")
  void anIntegerKeyColumnMatchesNumericKeysAndMissesOthers(String backend) throws Exception {
    TestDatabase db = db(backend);
    String t = table(db, "id INT, v VARCHAR(100)", "1293, 'example.com:sel:/k'");
    DataSet set = open(db, t, "keycol=id?datacol=v", KeyCase.SENSITIVE);
    assertThat(set.get("1293")).hasValue(List.of("example.com", "sel", "/k"));
    assertThat(set.lookup("abc")).isEmpty();
    assertThat(set.lookup("12")).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aKeyMatchingSeveralRowsAnswersWithOne(String backend) throws Exception {
    TestDatabase db = db(backend);
    String t = table(db, "k VARCHAR(100), v VARCHAR(100)", "'a', 'one'", "'a', 'two'");
    DataSet set = open(db, t, "keycol=k?datacol=v", KeyCase.SENSITIVE);
    assertThat(set.lookup("a").orElseThrow().value()).isIn("one", "two");
    assertThat(set.lookupAll("a")).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void aMissingTableOrColumnOrBadFilterFailsAtOpen(String backend) throws Exception {
    TestDatabase db = db(backend);
    String t = table(db, "k VARCHAR(100), v VARCHAR(100)");
    assertThatThrownBy(() -> open(db, "no_such_table_x", "keycol=k?datacol=v", KeyCase.SENSITIVE))
        .isInstanceOf(DataSetException.class)
        .hasMessageStartingWith("test.conf:4: data set \"dsn:")
        .hasMessageContaining("no_such_table_x");
    assertThatThrownBy(() -> open(db, t, "keycol=k?datacol=nope", KeyCase.INSENSITIVE))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> open(db, t, "keycol=k?datacol=v?filter=)) OR ((", KeyCase.SENSITIVE))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("fails");
  }
}
