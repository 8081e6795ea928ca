package io.inkan.dataset.sql;

import io.inkan.dataset.KeyCase;

/**
 * The statements a {@code dsn:} set runs, OpenDKIM's {@code SELECT datacol FROM table WHERE keycol
 * = 'key' AND filter} (opendkim-db.c, {@code dkimf_db_get()}) with the key as a bind parameter, the
 * key column selected first (it names the entry) and the filter in parentheses.
 *
 * @param lookup the query for one key, which is bound {@code keyBinds} times
 * @param probe the same query matching no row, run when the set opens to check table, columns and
 *     filter
 * @param keyBinds how many {@code ?} the lookup has, each bound to the key
 */
record LookupSql(String lookup, String probe, int keyBinds) {

  static LookupSql of(Dsn dsn, KeyCase keyCase) {
    String select =
        "SELECT "
            + dsn.keyColumn()
            + ", "
            + String.join(", ", dsn.dataColumns())
            + " FROM "
            + dsn.table()
            + " WHERE ";
    String filter = dsn.filter().map(f -> " AND (" + f + ")").orElse("");
    String condition = dsn.backend().keyCondition(dsn.keyColumn(), keyCase);
    int binds = (int) condition.chars().filter(c -> c == '?').count();
    return new LookupSql(select + condition + filter, select + "1 = 0" + filter, binds);
  }
}
