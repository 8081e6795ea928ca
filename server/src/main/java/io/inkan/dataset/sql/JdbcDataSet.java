package io.inkan.dataset.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Reachable;
import io.inkan.dataset.Source;
import io.inkan.dataset.Walkable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code dsn:} set without a cache: every lookup is one query on a pooled connection. A key
 * longer than {@link #MAX_KEY_LENGTH} or holding NUL is a miss without a query.
 */
final class JdbcDataSet implements Walkable, Reachable {
  /** Longest key sent to the database; no DKIM key, domain or address is longer. */
  static final int MAX_KEY_LENGTH = 1024;

  /** Most connections one set holds open. */
  static final int MAX_POOL_SIZE = 4;

  private static final Logger LOG = LoggerFactory.getLogger(JdbcDataSet.class);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private final Dsn dsn;
  private final String spec;
  private final Source declaredAt;
  private final LookupSql sql;
  private final int queryTimeoutSeconds;
  private final HikariDataSource pool;
  private final LongAdder queries = new LongAdder();

  /** After a connection failure, lookups fail at once until then (System.nanoTime()). */
  private volatile long downUntil = System.nanoTime();

  /** Whether the last attempt to reach the database failed. */
  private volatile boolean down;

  /** How long lookups fail fast after the database could not be reached. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private JdbcDataSet(Dsn dsn, String spec, Source declaredAt, KeyCase keyCase, Duration timeout) {
    this.dsn = dsn;
    this.spec = spec;
    this.declaredAt = declaredAt;
    this.sql = LookupSql.of(dsn, keyCase);
    this.queryTimeoutSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    this.pool = new HikariDataSource(config(dsn, timeout));
  }

  /**
   * Opens a pool and checks the query once. When the database cannot be reached, fails unless
   * {@code softStart} (opendkim.conf(5) {@code SoftStart}), in which case lookups fail as
   * unavailable until it can; a query the database refuses (no such table or column, a bad filter)
   * always fails.
   *
   * @param spec the specification with its password masked
   * @param timeout bound for connecting, for waiting for a pooled connection and for each query
   */
  static JdbcDataSet open(
      Dsn dsn, String spec, Source declaredAt, KeyCase keyCase, boolean softStart, Duration timeout)
      throws DataSetException {
    JdbcDataSet set;
    try {
      set = new JdbcDataSet(dsn, spec, declaredAt, keyCase, timeout);
    } catch (RuntimeException e) {
      throw new DataSetException(
          declaredAt, null, spec, "cannot set up the connection pool: " + dsn.scrub(e.toString()));
    }
    try {
      set.probe(softStart);
      return set;
    } catch (DataSetException | RuntimeException e) {
      set.close();
      throw e;
    }
  }

  private static HikariConfig config(Dsn dsn, Duration timeout) {
    HikariConfig c = new HikariConfig();
    c.setPoolName("inkan-dsn-" + POOLS.incrementAndGet());
    c.setDriverClassName(dsn.backend().driverClass());
    c.setJdbcUrl(dsn.backend().jdbcUrl(dsn));
    if (!dsn.user().isEmpty()) {
      c.setUsername(dsn.user());
    }
    if (!dsn.password().isEmpty()) {
      c.setPassword(dsn.password());
    }
    c.setDataSourceProperties(dsn.backend().driverProperties(timeout));
    c.setReadOnly(true); // the set only reads; SQLite opens the file read-only, too
    c.setMaximumPoolSize(MAX_POOL_SIZE);
    c.setMinimumIdle(1);
    c.setConnectionTimeout(Math.max(250, timeout.toMillis()));
    c.setValidationTimeout(Math.max(250, timeout.toMillis() / 2));
    c.setInitializationFailTimeout(-1); // probe() decides, so that SoftStart can apply
    return c;
  }

  private void probe(boolean softStart) throws DataSetException {
    Connection c;
    try {
      if (softStart && !pool.getJdbcUrl().startsWith("jdbc:sqlite:")) {
        // one attempt, so that a database that is down does not hold start-up for the timeout
        java.sql.DriverManager.getConnection(
                pool.getJdbcUrl(), pool.getUsername(), pool.getPassword())
            .close();
      }
      c = pool.getConnection();
    } catch (SQLException e) {
      if (!softStart) {
        throw new DataSetException(
            declaredAt, null, spec, "cannot reach the database: " + reason(e));
      }
      LOG.warn(
          "{}: data set \"{}\": cannot reach the database yet (SoftStart): {}",
          declaredAt,
          spec,
          reason(e));
      markDown();
      return;
    }
    try (c;
        PreparedStatement ps = c.prepareStatement(sql.probe())) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      ps.executeQuery().close();
    } catch (SQLException e) {
      if (softStart && connectionProblem(e)) {
        LOG.warn(
            "{}: data set \"{}\": database not ready (SoftStart): {}", declaredAt, spec, reason(e));
        return;
      }
      throw new DataSetException(
          declaredAt, null, spec, "the query \"" + sql.probe() + "\" fails: " + reason(e));
    }
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    if (key.length() > MAX_KEY_LENGTH || key.indexOf('\0') >= 0) {
      return Optional.empty();
    }
    if (System.nanoTime() - downUntil < 0) {
      throw new DataSetUnavailableException(
          declaredAt
              + ": data set \""
              + spec
              + "\": the database could not be reached a moment ago; retrying shortly",
          null);
    }
    queries.increment();
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(sql.lookup())) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      ps.setMaxRows(1);
      for (int i = 1; i <= sql.keyBinds(); i++) {
        ps.setString(i, key);
      }
      try (ResultSet rs = ps.executeQuery()) {
        down = false;
        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
      }
    } catch (SQLException e) {
      String state = e.getSQLState();
      if (state != null && state.startsWith("22")) {
        return Optional.empty(); // data exception: the key cannot be a value of the key column
      }
      if (connectionProblem(e)) {
        markDown();
      }
      throw new DataSetUnavailableException(
          declaredAt + ": data set \"" + spec + "\": lookup failed: " + reason(e), e);
    }
  }

  /**
   * Every row, for listing tools: {@code SELECT keycol, datacol... FROM table [WHERE (filter)]
   * ORDER BY keycol}, each row an entry as a lookup would answer it.
   */
  @Override
  public List<DataSetEntry> entries() {
    String query =
        "SELECT "
            + dsn.keyColumn()
            + ", "
            + String.join(", ", dsn.dataColumns())
            + " FROM "
            + dsn.table()
            + dsn.filter().map(f -> " WHERE (" + f + ")").orElse("")
            + " ORDER BY "
            + dsn.keyColumn();
    queries.increment();
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement(query)) {
      ps.setQueryTimeout(queryTimeoutSeconds);
      List<DataSetEntry> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(entry(rs));
        }
      }
      return List.copyOf(out);
    } catch (SQLException e) {
      throw new DataSetUnavailableException(
          declaredAt + ": data set \"" + spec + "\": listing failed: " + reason(e), e);
    }
  }

  /**
   * Fails lookups fast for {@link #RETRY_AFTER}: a database that is down would otherwise hold every
   * lookup thread for the whole connection timeout while mail waits.
   */
  private void markDown() {
    down = true;
    downUntil = System.nanoTime() + RETRY_AFTER.toNanos();
  }

  /** False from a failure to reach the database until a query succeeds. */
  @Override
  public boolean reachable() {
    return !down;
  }

  private DataSetEntry entry(ResultSet rs) throws SQLException {
    StringBuilder value = new StringBuilder();
    int columns = dsn.dataColumns().size();
    for (int i = 0; i < columns; i++) {
      String v = rs.getString(i + 2);
      if (i > 0) {
        value.append(':');
      }
      value.append(v == null ? "" : v);
    }
    return new DataSetEntry(rs.getString(1), value.toString(), declaredAt);
  }

  private static boolean connectionProblem(SQLException e) {
    String state = e.getSQLState();
    return (state != null && state.startsWith("08"))
        || e instanceof SQLTransientConnectionException
        || e instanceof SQLRecoverableException
        || e instanceof SQLTimeoutException;
  }

  /** The messages of {@code e} and its causes, without the password. */
  private String reason(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 600; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && !m.isBlank() && sb.indexOf(m) < 0) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m.strip());
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return dsn.scrub(sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString());
  }

  /** How many queries this set has sent (for tests). */
  long queries() {
    return queries.sum();
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public Source declaredAt() {
    return declaredAt;
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "JdbcDataSet[" + spec + "]";
  }
}
