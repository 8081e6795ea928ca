package io.inkan.dataset.je;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetConformance;
import io.inkan.dataset.KeyCase;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance contract for {@code db:} sets. {@link #update} replaces the environment the way
 * {@code inkan db import --replace} does, and the default {@link #refreshed} ({@code dropCache()})
 * must show the change.
 */
class JeDataSetConformanceTest extends DataSetConformance {
  @TempDir Path dir;
  private Map<String, String> rows;

  @Override
  protected DataSet open(Map<String, String> rows) throws Exception {
    this.rows = new LinkedHashMap<>(rows);
    JeTestTables.imported(table(), dir.resolve("table.jdbenv"), false);
    return JeTestTables.open(dir.resolve("table.jdbenv"), KeyCase.INSENSITIVE);
  }

  @Override
  protected void update(String key, String value) throws Exception {
    rows.put(key, value);
    JeTestTables.imported(table(), dir.resolve("table.jdbenv"), true);
  }

  private Path table() throws Exception {
    return JeTestTables.plain(dir.resolve("table"), rows);
  }
}
