package io.inkan.dataset.sql;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetConformance;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/**
 * The data set contract for one SQL backend: the rows in a fresh table, read through a {@code dsn:}
 * set with a filter, keys compared ignoring case (as for SigningTable).
 */
abstract class SqlConformance extends DataSetConformance {
  private final String table = TestDatabase.uniqueTable("inkan_conf");
  private boolean created;

  /** The database to use; skips when it is absent. */
  protected abstract TestDatabase database();

  @Override
  protected DataSet open(Map<String, String> rows) throws Exception {
    TestDatabase db = database().require();
    created = true;
    db.createKeyValueTable(table, rows);
    db.execute("INSERT INTO " + table + " (k, v, active) VALUES ('hidden.example', 'x', 0)");
    return SqlDataSet.open(
        db.dsn(table, "keycol=k?datacol=v?filter=active =3D 1"),
        new Source("test.conf", 1),
        KeyCase.INSENSITIVE,
        DataSetOptions.DEFAULTS);
  }

  @Override
  protected void update(String key, String value) throws Exception {
    database().update(table, key, value);
  }

  @AfterEach
  void dropTable() throws Exception {
    if (created) {
      database().drop(table);
    }
  }
}
