package io.inkan.dataset.je;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.DatabaseException;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentLockedException;
import com.sleepycat.je.OperationStatus;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Writes a table into a JE environment in Inkan's layout ({@link JeLayout}): the only read-write
 * handle JE allows at a time, while other processes may read it through {@link JeDataSet}. They see
 * what was written once {@link #flush()} (or {@link #close()}) has returned and they reopen. Not
 * thread-safe.
 */
public final class JeTableWriter implements AutoCloseable {
  private final Path home;
  private final Environment env;
  private final Database exact;
  private final Database folded;

  private JeTableWriter(Path home, Environment env, Database exact, Database folded) {
    this.home = home;
    this.env = env;
    this.exact = exact;
    this.folded = folded;
  }

  /** Creates the table in {@code dir}, an existing empty directory. */
  public static JeTableWriter create(Path dir) throws JeTableException {
    return open(dir, true);
  }

  /** Opens the table an earlier import made in {@code dir}, to change it. */
  public static JeTableWriter open(Path dir) throws JeTableException {
    return open(dir, false);
  }

  private static JeTableWriter open(Path dir, boolean create) throws JeTableException {
    Environment env = null;
    try {
      env = new Environment(dir.toFile(), JeLayout.readWrite(create));
      DatabaseConfig config =
          new DatabaseConfig().setAllowCreate(create).setExclusiveCreate(create);
      Database exact = env.openDatabase(null, JeLayout.EXACT, config);
      Database folded = env.openDatabase(null, JeLayout.FOLDED, config);
      return new JeTableWriter(dir, env, exact, folded);
    } catch (EnvironmentLockedException e) {
      throw new JeTableException(
          dir + " is open for writing by another process: " + JeHandles.firstLine(e));
    } catch (DatabaseException | IllegalArgumentException e) {
      JeHandles.closeQuietly(env);
      throw new JeTableException("cannot open " + dir + " for writing: " + JeHandles.firstLine(e));
    }
  }

  /**
   * Adds an entry unless its key is already there: the first entry with a key wins, as in OpenDKIM
   * files, and so does the first with a key in ASCII lower case for case-insensitive lookups.
   *
   * @param value the value, or {@code null} for a key alone
   * @return whether the key was new
   */
  public boolean add(String key, String value) throws JeTableException {
    return write(key, value, false);
  }

  /** Sets the value of {@code key}, adding it when it is new. */
  public void put(String key, String value) throws JeTableException {
    write(key, value, true);
  }

  private boolean write(String key, String value, boolean replace) throws JeTableException {
    Objects.requireNonNull(key, "key");
    byte[] k = bytes(key, "key");
    byte[] v = value == null ? new byte[0] : bytes(value, "value");
    if (k.length == 0) {
      throw new JeTableException("an empty key cannot be stored");
    }
    try {
      DatabaseEntry keyEntry = new DatabaseEntry(k);
      DatabaseEntry valueEntry = new DatabaseEntry(v);
      OperationStatus status =
          replace
              ? exact.put(null, keyEntry, valueEntry)
              : exact.putNoOverwrite(null, keyEntry, valueEntry);
      if (status != OperationStatus.SUCCESS) {
        return false;
      }
      folded.putNoOverwrite(null, new DatabaseEntry(bytes(JeLayout.fold(key), "key")), keyEntry);
      return true;
    } catch (DatabaseException e) {
      throw new JeTableException("cannot write " + home + ": " + JeHandles.firstLine(e));
    }
  }

  private static byte[] bytes(String s, String what) throws JeTableException {
    byte[] b = JeLayout.utf8(s);
    if (b == null) {
      throw new JeTableException("the " + what + " \"" + s + "\" is not valid Unicode");
    }
    return b;
  }

  /** Writes everything so far to the log files, for readers that open the environment next. */
  public void flush() throws JeTableException {
    try {
      env.flushLog(true);
    } catch (DatabaseException e) {
      throw new JeTableException("cannot flush " + home + ": " + JeHandles.firstLine(e));
    }
  }

  /** Checkpoints and closes the environment. */
  @Override
  public void close() throws JeTableException {
    try {
      exact.close();
      folded.close();
      env.close();
    } catch (DatabaseException e) {
      JeHandles.closeQuietly(env);
      throw new JeTableException("cannot close " + home + ": " + JeHandles.firstLine(e));
    }
  }
}
