package io.inkan.dataset.sql;

import io.inkan.dataset.KeyCase;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

/**
 * The databases a {@code dsn:} set can name, by OpenDBX backend name as OpenDKIM passes it on
 * ({@code mysql}, {@code pgsql}, {@code sqlite3}) or by product name, ignoring case.
 */
enum SqlBackend {
  /** {@code mysql} or {@code mariadb}: MariaDB Connector/J. */
  MARIADB("org.mariadb.jdbc.Driver", 3306),
  /** {@code pgsql} or {@code postgresql}: the PostgreSQL JDBC driver. */
  POSTGRESQL("org.postgresql.Driver", 5432),
  /**
   * {@code sqlite3}: xerial's SQLite JDBC driver; the database is a local file, opened read-only.
   */
  SQLITE("org.sqlite.JDBC", 0);

  private final String driverClass;
  private final int defaultPort;

  SqlBackend(String driverClass, int defaultPort) {
    this.driverClass = driverClass;
    this.defaultPort = defaultPort;
  }

  static Optional<SqlBackend> named(String name) {
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "mysql", "mariadb" -> Optional.of(MARIADB);
      case "pgsql", "postgresql" -> Optional.of(POSTGRESQL);
      case "sqlite3" -> Optional.of(SQLITE);
      default -> Optional.empty();
    };
  }

  String driverClass() {
    return driverClass;
  }

  int defaultPort() {
    return defaultPort;
  }

  /** The JDBC URL; the user and password travel as connection properties, never in the URL. */
  String jdbcUrl(Dsn dsn) {
    String host = dsn.host().indexOf(':') >= 0 ? "[" + dsn.host() + "]" : dsn.host();
    return switch (this) {
      case MARIADB -> "jdbc:mariadb://" + host + ":" + dsn.port() + "/" + dsn.database();
      case POSTGRESQL -> "jdbc:postgresql://" + host + ":" + dsn.port() + "/" + dsn.database();
      case SQLITE -> "jdbc:sqlite:" + dsn.database();
    };
  }

  /** Driver settings bounding connects and reads by {@code timeout}. */
  Properties driverProperties(Duration timeout) {
    long ms = timeout.toMillis();
    long seconds = Math.max(1, (ms + 999) / 1000);
    Properties p = new Properties();
    switch (this) {
      case MARIADB -> {
        p.setProperty("connectTimeout", Long.toString(ms));
        p.setProperty("socketTimeout", Long.toString(3 * ms));
      }
      case POSTGRESQL -> {
        p.setProperty("connectTimeout", Long.toString(seconds));
        p.setProperty("loginTimeout", Long.toString(seconds));
        p.setProperty("socketTimeout", Long.toString(3 * seconds));
        // Keys bind untyped, so an integer key column compares with a numeric key.
        p.setProperty("stringtype", "unspecified");
        p.setProperty("ApplicationName", "inkan");
      }
      case SQLITE -> {
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY: never create the file
        p.setProperty("busy_timeout", Long.toString(ms));
      }
    }
    return p;
  }

  /**
   * The condition matching the key column against the bound key, and how many times the key is
   * bound. Ignoring case, both sides go through the database's {@code LOWER()} (ASCII only on
   * SQLite, the database locale's rules on PostgreSQL and MariaDB); an index on the plain column is
   * then not used. Respecting case, MariaDB also compares the bytes, since its default collations
   * ignore case and trailing spaces; the plain comparison keeps the index usable.
   */
  String keyCondition(String keyColumn, KeyCase keyCase) {
    if (keyCase == KeyCase.INSENSITIVE) {
      return "LOWER(" + keyColumn + ") = LOWER(?)";
    }
    if (this == MARIADB) {
      return keyColumn + " = ? AND CAST(" + keyColumn + " AS BINARY) = CAST(? AS BINARY)";
    }
    return keyColumn + " = ?";
  }
}
