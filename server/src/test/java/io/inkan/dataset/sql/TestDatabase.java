package io.inkan.dataset.sql;

import io.inkan.testing.Prerequisites;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A database the SQL tests write tables into: the MariaDB and PostgreSQL servers on this machine
 * (database {@code test}), or an SQLite file. Table names carry a random suffix, since other builds
 * may use the same servers at the same time.
 */
record TestDatabase(String name, String jdbcUrl, String user, String dsnPrefix, String charset) {

  static TestDatabase mariaDb() {
    return new TestDatabase(
        "MariaDB on 127.0.0.1:3306 (Debian package mariadb-server)",
        "jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=2000",
        "root",
        "dsn:mysql://root@3306+127.0.0.1/test",
        " DEFAULT CHARSET=utf8mb4");
  }

  static TestDatabase postgreSql() {
    return new TestDatabase(
        "PostgreSQL on 127.0.0.1:5432 (Debian package postgresql)",
        "jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=2",
        "postgres",
        "dsn:pgsql://postgres@5432+127.0.0.1/test",
        "");
  }

  /** An SQLite database in {@code file}, written by the OpenDBX host/db form. */
  static TestDatabase sqlite(Path file) {
    Path abs = file.toAbsolutePath();
    return new TestDatabase(
        "SQLite",
        "jdbc:sqlite:" + abs,
        "",
        "dsn:sqlite3://" + abs.getParent().toString().replace("/", "=2F") + "/" + abs.getFileName(),
        "");
  }

  static String uniqueTable(String prefix) {
    return prefix + "_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  }

  /** Skips (fails on CI) unless the database answers. */
  TestDatabase require() {
    boolean ok;
    try (Connection c = connect()) {
      ok = c.isValid(2);
    } catch (SQLException e) {
      ok = false;
    }
    Prerequisites.require(ok, name);
    return this;
  }

  Connection connect() throws SQLException {
    return user.isEmpty()
        ? DriverManager.getConnection(jdbcUrl)
        : DriverManager.getConnection(jdbcUrl, user, "");
  }

  /** The spec of a set over {@code table}, e.g. {@code dsn:...?keycol=k?datacol=v}. */
  String dsn(String table, String parameters) {
    return dsnPrefix + "/table=" + table + "?" + parameters;
  }

  void execute(String... statements) throws SQLException {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    }
  }

  /** Creates {@code table (k VARCHAR(255), v TEXT, active INT)} holding {@code rows}. */
  void createKeyValueTable(String table, Map<String, String> rows) throws SQLException {
    execute(
        "DROP TABLE IF EXISTS " + table,
        "CREATE TABLE "
            + table
            + " (k VARCHAR(255) NOT NULL, v TEXT, active INT NOT NULL DEFAULT 1)"
            + charset);
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO " + table + " (k, v) VALUES (?, ?)")) {
      for (Map.Entry<String, String> row : rows.entrySet()) {
        ps.setString(1, row.getKey());
        ps.setString(2, row.getValue());
        ps.executeUpdate();
      }
    }
  }

  void update(String table, String key, String value) throws SQLException {
    try (Connection c = connect();
        PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET v = ? WHERE k = ?")) {
      ps.setString(1, value);
      ps.setString(2, key);
      ps.executeUpdate();
    }
  }

  void drop(String table) throws SQLException {
    execute("DROP TABLE IF EXISTS " + table);
  }
}
