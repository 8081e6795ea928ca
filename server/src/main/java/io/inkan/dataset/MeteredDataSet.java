package io.inkan.dataset;

import java.util.List;
import java.util.Optional;

/**
 * Counts a set's lookups by result ({@link DataSetMetrics#lookup}) and, for a remote set, reports
 * whether its server answers until it is closed; everything else is the set's own.
 */
public final class MeteredDataSet implements DataSet {
  private final DataSet inner;
  private final String kind;
  private final DataSetMetrics metrics;
  private final DataSetMetrics.Registration reachable;

  /**
   * @param kind the backend's type: {@code file}, {@code refile}, {@code csl}, {@code db}, {@code
   *     dsn} or {@code ldap}
   */
  public MeteredDataSet(DataSet inner, String kind, DataSetMetrics metrics) {
    this.inner = inner;
    this.kind = kind;
    this.metrics = metrics;
    DataSet below = inner instanceof CachedDataSet c ? c.inner() : inner;
    this.reachable =
        below instanceof Reachable r
            ? metrics.reachable(kind, inner.spec(), r::reachable)
            : () -> {};
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    return counted(() -> inner.lookup(key), Optional::isPresent);
  }

  @Override
  public List<DataSetEntry> lookupAll(String key) {
    return counted(() -> inner.lookupAll(key), l -> !l.isEmpty());
  }

  private <T> T counted(
      java.util.function.Supplier<T> lookup, java.util.function.Predicate<T> found) {
    T answer;
    try {
      answer = lookup.get();
    } catch (RuntimeException e) {
      metrics.lookup(kind, DataSetMetrics.Result.ERROR);
      throw e;
    }
    metrics.lookup(
        kind, found.test(answer) ? DataSetMetrics.Result.HIT : DataSetMetrics.Result.MISS);
    return answer;
  }

  /** The set below. */
  public DataSet inner() {
    return inner;
  }

  @Override
  public boolean patternKeys() {
    return inner.patternKeys();
  }

  @Override
  public Optional<List<DataSetEntry>> localEntries() {
    return inner.localEntries();
  }

  @Override
  public String spec() {
    return inner.spec();
  }

  @Override
  public Source declaredAt() {
    return inner.declaredAt();
  }

  @Override
  public void dropCache() {
    inner.dropCache();
  }

  @Override
  public void close() {
    reachable.close();
    inner.close();
  }

  @Override
  public String toString() {
    return inner.toString();
  }
}
