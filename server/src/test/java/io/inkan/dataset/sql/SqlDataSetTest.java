package io.inkan.dataset.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.CachedDataSet;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code dsn:} set as a whole over SQLite (always at hand) and over servers that are not there:
 * caching, keys that never reach the database, SoftStart, unavailability and password masking.
 */
class SqlDataSetTest {
  private static final Source AT = new Source("/etc/inkan.conf", 7);
  private static final Duration SHORT = Duration.ofSeconds(1);
  private static final String SECRET = "s3cr=3At";

  @TempDir Path dir;

  private static DataSetOptions options(boolean softStart, Duration hit, Duration miss) {
    return new DataSetOptions(DataSetOptions.LdapOptions.DEFAULTS, softStart, hit, miss);
  }

  private TestDatabase sqlite() throws Exception {
    TestDatabase db = TestDatabase.sqlite(dir.resolve("keys.db"));
    db.createKeyValueTable("signing", Map.of("example.com", "k1", "Example.NET", "k2"));
    return db;
  }

  private static JdbcDataSet jdbc(DataSet set) {
    return (JdbcDataSet) ((CachedDataSet) set).inner();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void answersAreCachedAndDropCacheForgetsThem() throws Exception {
    TestDatabase db = sqlite();
    try (DataSet set =
        SqlDataSet.open(
            db.dsn("signing", "keycol=k?datacol=v"),
            AT,
            KeyCase.INSENSITIVE,
            options(false, Duration.ofMinutes(5), Duration.ofMinutes(1)))) {
      assertThat(set.get("EXAMPLE.com")).hasValue(List.of("k1"));
      assertThat(set.get("example.com")).hasValue(List.of("k1"));
      assertThat(set.lookup("nosuch.example")).isEmpty();
      assertThat(set.lookup("nosuch.example")).isEmpty();
      assertThat(jdbc(set).queries()).isEqualTo(2);
      db.update("signing", "example.com", "k9");
      assertThat(set.get("example.com")).hasValue(List.of("k1"));
      set.dropCache();
      assertThat(set.get("example.com")).hasValue(List.of("k9"));
      assertThat(jdbc(set).queries()).isEqualTo(3);
    }
  }

  @Test
  void sqliteAlsoTakesAnAbsolutePathAfterThreeSlashes() throws Exception {
    sqlite();
    String spec =
        "dsn:sqlite3://"
            + dir.toAbsolutePath().resolve("keys.db")
            + "/table=signing?keycol=k?datacol=v";
    try (DataSet set = SqlDataSet.open(spec, AT, KeyCase.INSENSITIVE, DataSetOptions.DEFAULTS)) {
      assertThat(set.get("example.net")).hasValue(List.of("k2"));
    }
  }

  @Test
  void withoutTtlsEveryLookupQueries() throws Exception {
    TestDatabase db = sqlite();
    try (DataSet set =
        SqlDataSet.open(
            db.dsn("signing", "keycol=k?datacol=v"),
            AT,
            KeyCase.SENSITIVE,
            options(false, Duration.ZERO, Duration.ZERO))) {
      set.lookup("example.com");
      set.lookup("example.com");
      set.lookup("Example.NET");
      set.lookup("example.net");
      assertThat(jdbc(set).queries()).isEqualTo(4);
      assertThat(set.lookup("example.net")).isEmpty();
    }
  }

  @Test
  void keysWithNulOrTooLongAreMissesWithoutAQuery() throws Exception {
    TestDatabase db = sqlite();
    db.execute("INSERT INTO signing (k, v) VALUES ('" + "a".repeat(1100) + "', 'long')");
    try (DataSet set =
        SqlDataSet.open(
            db.dsn("signing", "keycol=k?datacol=v"),
            AT,
            KeyCase.SENSITIVE,
            options(false, Duration.ZERO, Duration.ZERO))) {
      assertThat(set.lookup("example.com\u0000")).isEmpty();
      assertThat(set.lookup("\u0000")).isEmpty();
      assertThat(set.lookup("a".repeat(JdbcDataSet.MAX_KEY_LENGTH + 1))).isEmpty();
      assertThat(set.lookup("a".repeat(1100))).isEmpty();
      assertThat(jdbc(set).queries()).isZero();
      assertThat(set.lookup("a".repeat(JdbcDataSet.MAX_KEY_LENGTH))).isEmpty();
      assertThat(jdbc(set).queries()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "' OR 1=1 --",
        "x' OR 'a'='a",
        "example.com' UNION SELECT k, v FROM signing --",
        "%",
        "_xample.com",
        "example.com\\",
        "example.com'; DROP TABLE signing; --"
      })
  void injectionKeysAreMisses(String key) throws Exception {
    TestDatabase db = sqlite();
    try (DataSet set =
        SqlDataSet.open(
            db.dsn("signing", "keycol=k?datacol=v"),
            AT,
            KeyCase.INSENSITIVE,
            DataSetOptions.DEFAULTS)) {
      assertThat(set.lookup(key)).isEmpty();
      assertThat(set.get("example.com")).hasValue(List.of("k1"));
    }
  }

  @Test
  void theSpecShowsNoPassword() throws Exception {
    TestDatabase db = sqlite();
    try (DataSet set =
        SqlDataSet.open(
            db.dsn("signing", "keycol=k?datacol=v"),
            AT,
            KeyCase.SENSITIVE,
            DataSetOptions.DEFAULTS)) {
      assertThat(set.spec()).isEqualTo(db.dsn("signing", "keycol=k?datacol=v"));
      assertThat(set.declaredAt()).isEqualTo(AT);
    }
    String spec =
        "dsn:mysql://inkan:"
            + SECRET
            + "@"
            + closedPort()
            + "+127.0.0.1/db/table=t?keycol=k?datacol=v";
    try (DataSet set =
        SqlDataSet.open(
            spec, AT, KeyCase.SENSITIVE, options(true, Duration.ZERO, Duration.ZERO), SHORT)) {
      assertThat(set.spec()).doesNotContain(SECRET).contains("inkan:****@");
      assertThat(set.toString()).doesNotContain(SECRET);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "pgsql"})
  void anUnreachableServerFailsOpenWithTheLineAndNoPassword(String backend) throws Exception {
    String spec =
        "dsn:"
            + backend
            + "://inkan:"
            + SECRET
            + "@"
            + closedPort()
            + "+127.0.0.1/db/table=t?keycol=k?datacol=v";
    assertThatThrownBy(
            () ->
                SqlDataSet.open(
                    spec,
                    AT,
                    KeyCase.SENSITIVE,
                    options(false, Duration.ZERO, Duration.ZERO),
                    SHORT))
        .isInstanceOf(DataSetException.class)
        .hasMessageStartingWith("/etc/inkan.conf:7: data set \"dsn:" + backend + "://inkan:****@")
        .hasMessageContaining("cannot reach the database")
        .satisfies(e -> assertNoSecret(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql", "pgsql"})
  void withSoftStartAnUnreachableServerIsUnavailableNotAMiss(String backend) throws Exception {
    String spec =
        "dsn:"
            + backend
            + "://inkan:"
            + SECRET
            + "@"
            + closedPort()
            + "+127.0.0.1/db/table=t?keycol=k?datacol=v";
    try (DataSet set =
        SqlDataSet.open(
            spec,
            AT,
            KeyCase.INSENSITIVE,
            options(true, Duration.ofMinutes(5), Duration.ofMinutes(5)),
            SHORT)) {
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> set.lookup("example.com"))
            .isInstanceOf(DataSetUnavailableException.class)
            .hasMessageStartingWith(
                "/etc/inkan.conf:7: data set \"dsn:" + backend + "://inkan:****@")
            .satisfies(e -> assertNoSecret(e));
      }
      assertThatThrownBy(() -> set.contains("example.com"))
          .isInstanceOf(DataSetUnavailableException.class);
    }
  }

  @Test
  void aWrongPasswordIsReportedWithoutIt() throws Exception {
    TestDatabase maria = TestDatabase.mariaDb().require();
    String spec =
        maria.dsnPrefix().replace("root@", "inkan_nobody:" + SECRET + "@")
            + "/table=t?keycol=k?datacol=v";
    assertThatThrownBy(
            () ->
                SqlDataSet.open(
                    spec,
                    AT,
                    KeyCase.SENSITIVE,
                    options(false, Duration.ZERO, Duration.ZERO),
                    SHORT))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("inkan_nobody:****@")
        .satisfies(e -> assertNoSecret(e));
  }

  @Test
  void softStartWaitsForAMissingSqliteFile() throws Exception {
    Path file = dir.resolve("later.db");
    TestDatabase later = TestDatabase.sqlite(file);
    String spec = later.dsn("signing", "keycol=k?datacol=v");
    assertThatThrownBy(
            () ->
                SqlDataSet.open(
                    spec,
                    AT,
                    KeyCase.SENSITIVE,
                    options(false, Duration.ZERO, Duration.ZERO),
                    SHORT))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("cannot reach the database");
    assertThat(Files.exists(file)).isFalse(); // opened read-only, never created
    try (DataSet set =
        SqlDataSet.open(
            spec, AT, KeyCase.SENSITIVE, options(true, Duration.ZERO, Duration.ZERO), SHORT)) {
      assertThatThrownBy(() -> set.lookup("example.com"))
          .isInstanceOf(DataSetUnavailableException.class);
      later.createKeyValueTable("signing", Map.of("example.com", "k1"));
      Throwable last = null;
      for (int i = 0; i < 20; i++) {
        try {
          assertThat(set.get("example.com")).hasValue(List.of("k1"));
          last = null;
          break;
        } catch (DataSetUnavailableException e) {
          last = e;
          Thread.sleep(250);
        }
      }
      assertThat(last).as("still unavailable after the file appeared").isNull();
    }
  }

  private static void assertNoSecret(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(SECRET).doesNotContain("s3cr:t");
    }
  }
}
