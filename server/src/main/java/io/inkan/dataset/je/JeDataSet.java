package io.inkan.dataset.je;

import com.sleepycat.je.Cursor;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.OperationStatus;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * OpenDKIM's {@code db:PATH} data set (or a bare {@code PATH.db}), where PATH is a Berkeley DB Java
 * Edition environment directory made by {@code inkan db import}; JE cannot read the C library's
 * files OpenDKIM used, and opening one fails naming the command that converts it.
 *
 * <p>The environment is opened read-only, so {@code inkan db import} or another process may write
 * it; this set sees it as it was when opened until {@link #dropCache()} (a reload) reopens it.
 * Lookups are thread-safe. Keys compare exactly ({@link KeyCase#SENSITIVE}) or through the
 * ASCII-folded index the import keeps ({@link KeyCase#INSENSITIVE}); see {@link JeLayout}. Unlike
 * OpenDKIM, whose Berkeley DB lookups ignored {@code DKIMF_DB_FLAG_ICASE}, this matches how {@code
 * file:} sets compare keys.
 */
public final class JeDataSet implements DataSet {
  /** The most entries {@link #localEntries()} returns; larger tables are checked per lookup. */
  public static final int LOCAL_ENTRIES_LIMIT = 10_000;

  private final String spec;
  private final Source declaredAt;
  private final KeyCase keyCase;
  private final Source entrySource;
  private final SharedReadOnlyEnvironment env;
  private final AtomicBoolean closed = new AtomicBoolean();

  private JeDataSet(
      String spec, Source declaredAt, KeyCase keyCase, SharedReadOnlyEnvironment env) {
    this.spec = spec;
    this.declaredAt = declaredAt;
    this.keyCase = keyCase;
    this.env = env;
    this.entrySource = new Source(env.home().toString(), 0);
  }

  /**
   * Opens {@code spec}, {@code db:PATH} or a bare {@code PATH.db}, read-only.
   *
   * @param options unused: a JE environment is local and has no connection settings
   * @throws DataSetException when PATH is missing, is a C Berkeley DB file, or is not an
   *     environment made by {@code inkan db import}
   */
  public static DataSet open(
      String spec, Source declaredAt, KeyCase keyCase, DataSetOptions options)
      throws DataSetException {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(declaredAt, "declaredAt");
    Objects.requireNonNull(keyCase, "keyCase");
    String name = path(spec, declaredAt);
    Path home;
    try {
      home = Path.of(name);
    } catch (InvalidPathException e) {
      throw fail(spec, declaredAt, name, "not a valid path: " + e.getReason());
    }
    if (Files.isRegularFile(home)) {
      Optional<String> kind = kindOf(spec, declaredAt, home);
      throw fail(
          spec,
          declaredAt,
          name,
          kind.map(
                  k ->
                      "a C Berkeley DB "
                          + k
                          + " file (OpenDKIM's format), which Inkan cannot read; convert it with"
                          + " \"inkan db import "
                          + name
                          + " NEW-DIR\" and use db:NEW-DIR")
              .orElse(
                  "a file, not a Berkeley DB Java Edition environment directory; make one with"
                      + " \"inkan db import TABLE DIR\""));
    }
    if (!Files.isDirectory(home)) {
      throw fail(
          spec,
          declaredAt,
          name,
          "no such directory; make a Berkeley DB Java Edition environment with \"inkan db import"
              + " TABLE "
              + name
              + "\"");
    }
    try {
      return new JeDataSet(
          spec, declaredAt, keyCase, SharedReadOnlyEnvironment.acquire(home.toRealPath()));
    } catch (JeTableException e) {
      throw new DataSetException(declaredAt, null, spec, e.getMessage());
    } catch (IOException e) {
      throw fail(spec, declaredAt, name, "cannot open: " + e);
    }
  }

  private static String path(String spec, Source declaredAt) throws DataSetException {
    int colon = spec.indexOf(':');
    if (colon >= 0 && JeLayout.fold(spec.substring(0, colon)).equals("db")) {
      if (colon == spec.length() - 1) {
        throw new DataSetException(declaredAt, null, spec, "no directory after db:");
      }
      return spec.substring(colon + 1);
    }
    if (spec.endsWith(".db")) {
      return spec;
    }
    throw new DataSetException(
        declaredAt, null, spec, "not a Berkeley DB data set (expected db:PATH or PATH.db)");
  }

  private static Optional<String> kindOf(String spec, Source declaredAt, Path file)
      throws DataSetException {
    try {
      return BerkeleyDbFiles.kind(file);
    } catch (IOException e) {
      throw fail(spec, declaredAt, file.toString(), "cannot read: " + e);
    }
  }

  private static DataSetException fail(String spec, Source declaredAt, String path, String reason) {
    return new DataSetException(declaredAt, new Source(path, 0), spec, reason);
  }

  @Override
  public Optional<DataSetEntry> lookup(String key) {
    Objects.requireNonNull(key, "key");
    byte[] query = JeLayout.utf8(keyCase == KeyCase.SENSITIVE ? key : JeLayout.fold(key));
    if (query == null || query.length == 0) {
      return Optional.empty();
    }
    return read(h -> Optional.ofNullable(find(h, query)));
  }

  private DataSetEntry find(JeHandles h, byte[] query) {
    DatabaseEntry exactKey = new DatabaseEntry(query);
    if (keyCase == KeyCase.INSENSITIVE) {
      DatabaseEntry stored = new DatabaseEntry();
      if (h.folded().get(null, exactKey, stored, LockMode.READ_UNCOMMITTED)
          != OperationStatus.SUCCESS) {
        return null;
      }
      exactKey = stored;
    }
    DatabaseEntry value = new DatabaseEntry();
    if (h.exact().get(null, exactKey, value, LockMode.READ_UNCOMMITTED)
        != OperationStatus.SUCCESS) {
      return null;
    }
    return entry(exactKey, value);
  }

  private DataSetEntry entry(DatabaseEntry key, DatabaseEntry value) {
    try {
      String v = value.getSize() == 0 ? null : JeLayout.text(value.getData());
      return new DataSetEntry(JeLayout.text(key.getData()), v, entrySource);
    } catch (CharacterCodingException e) {
      throw new DataSetUnavailableException(
          "data set \"" + spec + "\" (" + declaredAt + "): an entry is not valid UTF-8", e);
    }
  }

  /**
   * Every entry in key order when the table has at most {@link #LOCAL_ENTRIES_LIMIT} of them, so
   * that tables can be validated when loaded; empty for larger tables, checked per lookup.
   */
  @Override
  public Optional<List<DataSetEntry>> localEntries() {
    return read(
        h -> {
          if (h.exact().count() > LOCAL_ENTRIES_LIMIT) {
            return Optional.empty();
          }
          List<DataSetEntry> out = new ArrayList<>();
          DatabaseEntry key = new DatabaseEntry();
          DatabaseEntry value = new DatabaseEntry();
          try (Cursor cursor = h.exact().openCursor(null, null)) {
            while (cursor.getNext(key, value, LockMode.READ_UNCOMMITTED)
                == OperationStatus.SUCCESS) {
              out.add(entry(key, value));
            }
          }
          return Optional.of(List.copyOf(out));
        });
  }

  private <T> T read(SharedReadOnlyEnvironment.Read<T> read) {
    if (closed.get()) {
      throw new DataSetUnavailableException("data set \"" + spec + "\" is closed", null);
    }
    return env.read(read);
  }

  @Override
  public String spec() {
    return spec;
  }

  @Override
  public Source declaredAt() {
    return declaredAt;
  }

  /** How keys compare. */
  public KeyCase keyCase() {
    return keyCase;
  }

  /**
   * Reopens the environment, to see what {@code inkan db import --replace} or a writing process has
   * changed since it was opened. Every set on the same directory in this process shares the
   * reopened view.
   */
  @Override
  public void dropCache() {
    if (!closed.get()) {
      env.reopen();
    }
  }

  /** Closes the environment (when no other set in this process uses it). */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      env.release();
    }
  }

  @Override
  public String toString() {
    return "JeDataSet[" + spec + ", " + keyCase + "]";
  }
}
