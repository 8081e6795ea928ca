package io.inkan.dataset.sql;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code dsn:} specification (opendkim(8), DATA SETS d): where the database is, how to log
 * in and which table and columns answer a lookup. Every text is already quoted-printable decoded.
 *
 * @param backend the database product
 * @param user login name, empty for none
 * @param password login password, empty for none; never printed
 * @param host server name or address; empty for SQLite
 * @param port server port, or the backend's default when the DSN names none
 * @param database database name, or for SQLite the database file path
 * @param table {@code table=}: a validated identifier, optionally {@code schema.table}
 * @param keyColumn {@code keycol=}: a validated identifier
 * @param dataColumns {@code datacol=}: validated identifiers whose values, joined with colons, are
 *     the entry's value
 * @param filter {@code filter=}: extra SQL condition from the (trusted) configuration file
 */
record Dsn(
    SqlBackend backend,
    String user,
    String password,
    String host,
    int port,
    String database,
    String table,
    String keyColumn,
    List<String> dataColumns,
    Optional<String> filter) {
  Dsn {
    Objects.requireNonNull(backend, "backend");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(keyColumn, "keyColumn");
    dataColumns = List.copyOf(dataColumns);
    Objects.requireNonNull(filter, "filter");
  }

  /** Replaces every occurrence of the password in {@code text} (a driver's message, say). */
  String scrub(String text) {
    return text == null || password.isEmpty() ? text : text.replace(password, DsnParser.MASK);
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "Dsn["
        + backend
        + " "
        + (user.isEmpty() ? "" : user + (password.isEmpty() ? "" : ":" + DsnParser.MASK) + "@")
        + (host.isEmpty() ? "" : host + ":" + port)
        + "/"
        + database
        + " table="
        + table
        + " keycol="
        + keyColumn
        + " datacol="
        + String.join(",", dataColumns)
        + filter.map(f -> " filter=" + f).orElse("")
        + "]";
  }
}
