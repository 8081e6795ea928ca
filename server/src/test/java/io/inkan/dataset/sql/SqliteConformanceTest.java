package io.inkan.dataset.sql;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The data set contract over SQLite ({@code dsn:sqlite3:}), in a temporary file. */
class SqliteConformanceTest extends SqlConformance {
  @TempDir Path dir;

  @Override
  protected TestDatabase database() {
    return TestDatabase.sqlite(dir.resolve("keys.db"));
  }
}
