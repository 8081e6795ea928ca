package io.inkan.dataset.sql;

/** The data set contract over PostgreSQL ({@code dsn:pgsql:}). */
class PostgreSqlConformanceTest extends SqlConformance {
  @Override
  protected TestDatabase database() {
    return TestDatabase.postgreSql();
  }
}
