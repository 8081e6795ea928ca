package io.inkan.dataset.sql;

import io.inkan.dataset.CachedDataSet;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import java.time.Duration;
import java.util.Objects;

/**
 * Opens OpenDKIM's {@code dsn:} data sets (opendkim(8), DATA SETS d) over JDBC: {@code mysql} and
 * {@code mariadb} with MariaDB Connector/J, {@code pgsql} and {@code postgresql} with the
 * PostgreSQL driver, {@code sqlite3} with SQLite (see {@link DsnParser} for the syntax and the
 * SQLite path).
 *
 * <p>A lookup runs {@code SELECT keycol, datacol... FROM table WHERE keycol = ? AND (filter)} on a
 * pool of at most {@value JdbcDataSet#MAX_POOL_SIZE} connections and answers with the first row:
 * its data columns joined with colons (NULL as empty). Ignoring case, the comparison is {@code
 * LOWER(keycol) = LOWER(?)}. Answers are cached for {@link DataSetOptions#cacheTtl()} (hits) and
 * {@link DataSetOptions#negativeCacheTtl()} (misses); {@link DataSet#dropCache()} forgets them. A
 * database that cannot answer raises {@link io.inkan.dataset.DataSetUnavailableException}, never a
 * miss. {@link DataSet#spec()} and every message show the password as {@value DsnParser#MASK}.
 */
public final class SqlDataSet {
  /** Bound for connecting, for waiting for a pooled connection and for each query. */
  public static final Duration TIMEOUT = Duration.ofSeconds(5);

  private SqlDataSet() {}

  /**
   * Opens the set {@code spec} (starting with {@code dsn:}) declared at {@code declaredAt}.
   *
   * @throws DataSetException when the specification is malformed, the query is refused, or the
   *     database cannot be reached and {@link DataSetOptions#softStart()} is off
   */
  public static DataSet open(
      String spec, Source declaredAt, KeyCase keyCase, DataSetOptions options)
      throws DataSetException {
    return open(spec, declaredAt, keyCase, options, TIMEOUT);
  }

  static DataSet open(
      String spec, Source declaredAt, KeyCase keyCase, DataSetOptions options, Duration timeout)
      throws DataSetException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(declaredAt, "declaredAt");
    Objects.requireNonNull(keyCase, "keyCase");
    Objects.requireNonNull(options, "options");
    Dsn dsn = DsnParser.parse(spec, declaredAt);
    JdbcDataSet set =
        JdbcDataSet.open(
            dsn, DsnParser.masked(spec), declaredAt, keyCase, options.softStart(), timeout);
    return new CachedDataSet(
        set,
        keyCase,
        options.cacheTtl(),
        options.negativeCacheTtl(),
        options.cacheMaxEntries(),
        options.metrics(),
        "dsn");
  }

  /**
   * A DSN with its password replaced by a mask, for any message or status page; works on malformed
   * text too.
   */
  public static String masked(String spec) {
    return DsnParser.masked(spec);
  }
}
