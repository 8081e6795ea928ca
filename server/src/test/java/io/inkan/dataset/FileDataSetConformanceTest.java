package io.inkan.dataset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/** The conformance contract for {@code file:} sets (the reference the other backends match). */
class FileDataSetConformanceTest extends DataSetConformance {
  @TempDir Path dir;
  private Map<String, String> rows;

  @Override
  protected DataSet open(Map<String, String> rows) throws Exception {
    this.rows = new java.util.LinkedHashMap<>(rows);
    write();
    return DataSets.parse("file:" + dir.resolve("table"), "test.conf", 1);
  }

  @Override
  protected void update(String key, String value) throws Exception {
    rows.put(key, value);
    write();
  }

  @Override
  protected DataSet refreshed(DataSet current) throws Exception {
    return DataSets.parse("file:" + dir.resolve("table"), "test.conf", 1);
  }

  private void write() throws Exception {
    StringBuilder sb = new StringBuilder();
    rows.forEach((k, v) -> sb.append(k).append(' ').append(v).append('\n'));
    Files.writeString(dir.resolve("table"), sb);
  }
}
