package io.inkan.dataset.je;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseException;
import com.sleepycat.je.DatabaseNotFoundException;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentLockedException;
import com.sleepycat.je.EnvironmentNotFoundException;
import com.sleepycat.je.VersionMismatchException;
import java.nio.file.Path;

/** One open environment and Inkan's two databases in it. */
record JeHandles(Environment env, Database exact, Database folded) implements AutoCloseable {

  /** Opens {@code home} read-only; the caller has checked that it is a directory. */
  static JeHandles openReadOnly(Path home) throws JeTableException {
    Environment env = null;
    try {
      env = new Environment(home.toFile(), JeLayout.readOnly());
      DatabaseConfig db = new DatabaseConfig().setReadOnly(true);
      Database exact = env.openDatabase(null, JeLayout.EXACT, db);
      Database folded;
      try {
        folded = env.openDatabase(null, JeLayout.FOLDED, db);
      } catch (RuntimeException e) {
        closeQuietly(exact);
        throw e;
      }
      return new JeHandles(env, exact, folded);
    } catch (EnvironmentNotFoundException e) {
      throw new JeTableException(
          home
              + " holds no Berkeley DB Java Edition environment (no .jdb files); make one with"
              + " \"inkan db import TABLE "
              + home
              + "\"");
    } catch (EnvironmentLockedException e) {
      throw new JeTableException(home + " is locked: " + firstLine(e));
    } catch (VersionMismatchException e) {
      throw new JeTableException(home + " was written by another JE version: " + firstLine(e));
    } catch (DatabaseNotFoundException e) {
      closeQuietly(env);
      throw new JeTableException(
          home
              + " is a JE environment without Inkan's databases "
              + JeLayout.EXACT
              + " and "
              + JeLayout.FOLDED
              + "; make it with \"inkan db import\"");
    } catch (DatabaseException | IllegalArgumentException | IllegalStateException e) {
      closeQuietly(env);
      throw new JeTableException("cannot open " + home + ": " + firstLine(e));
    }
  }

  /** Closes the databases, then the environment, ignoring failures (the handles are done). */
  @Override
  public void close() {
    closeQuietly(exact);
    closeQuietly(folded);
    closeQuietly(env);
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      // closing an invalid or already closed handle; nothing left to release
    }
  }

  /** The first line of a JE message, without JE's version prefix. */
  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    m = nl < 0 ? m : m.substring(0, nl);
    return m.replaceFirst("^\\(JE [0-9.]+\\) ", "");
  }
}
