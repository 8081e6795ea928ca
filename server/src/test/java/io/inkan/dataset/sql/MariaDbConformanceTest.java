package io.inkan.dataset.sql;

/** The data set contract over MariaDB ({@code dsn:mysql:}). */
class MariaDbConformanceTest extends SqlConformance {
  @Override
  protected TestDatabase database() {
    return TestDatabase.mariaDb();
  }
}
