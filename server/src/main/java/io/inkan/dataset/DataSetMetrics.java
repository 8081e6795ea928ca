package io.inkan.dataset;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Where data sets report their lookups, their caches' hits and whether their server answers: a
 * Micrometer binding in the daemon, {@link #NONE} elsewhere (tools, tests).
 */
public interface DataSetMetrics {
  DataSetMetrics NONE = new DataSetMetrics() {};

  /** How one lookup ended. */
  enum Result {
    HIT,
    MISS,
    ERROR;

    /** The tag value: the name in lower case. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One lookup of a set.
   *
   * @param kind the backend: {@code file}, {@code refile}, {@code csl}, {@code db}, {@code dsn} or
   *     {@code ldap}
   */
  default void lookup(String kind, Result result) {}

  /** One lookup of a remote set's cache ({@link CachedDataSet}): remembered or not. */
  default void cache(String kind, boolean hit) {}

  /**
   * Watches whether a remote set's server answers until the returned registration is closed.
   *
   * @param name the set's specification with any password masked
   */
  default Registration reachable(String kind, String name, BooleanSupplier up) {
    return () -> {};
  }

  /** Undoes one {@link #reachable} call. */
  @FunctionalInterface
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }
}
