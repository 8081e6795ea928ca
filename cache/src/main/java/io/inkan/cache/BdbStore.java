package io.inkan.cache;

import com.sleepycat.je.Database;
import com.sleepycat.je.DatabaseConfig;
import com.sleepycat.je.DatabaseEntry;
import com.sleepycat.je.DatabaseException;
import com.sleepycat.je.Durability;
import com.sleepycat.je.Environment;
import com.sleepycat.je.EnvironmentConfig;
import com.sleepycat.je.EnvironmentLockedException;
import com.sleepycat.je.Get;
import com.sleepycat.je.LockConflictException;
import com.sleepycat.je.LockMode;
import com.sleepycat.je.Put;
import com.sleepycat.je.ReadOptions;
import com.sleepycat.je.SecondaryConfig;
import com.sleepycat.je.SecondaryCursor;
import com.sleepycat.je.SecondaryDatabase;
import com.sleepycat.je.Transaction;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * The JE side of {@link BdbQueryCache}: a transactional environment holding one database of answers
 * by name and a secondary index of the same records by expiry, so that the oldest-expiring entries
 * can be swept or evicted without a scan. Commits are written to the OS but not synced: a crash of
 * Inkan loses nothing, a crash of the host may lose the last few seconds of entries.
 */
final class BdbStore implements AutoCloseable {
  private static final ReadOptions DIRTY_READ =
      new ReadOptions().setLockMode(LockMode.READ_UNCOMMITTED);
  private static final ReadOptions FOR_UPDATE = new ReadOptions().setLockMode(LockMode.RMW);
  private static final int RETRIES = 5;

  private final Environment env;
  private final Database answers;
  private final SecondaryDatabase byExpiry;

  private BdbStore(Environment env, Database answers, SecondaryDatabase byExpiry) {
    this.env = env;
    this.answers = answers;
    this.byExpiry = byExpiry;
  }

  /** Opens (creating if needed) the environment in {@code dir}, an existing directory. */
  static BdbStore open(Path dir, long cacheBytes) {
    EnvironmentConfig envConfig = new EnvironmentConfig();
    envConfig.setAllowCreate(true);
    envConfig.setTransactional(true);
    envConfig.setDurability(Durability.COMMIT_WRITE_NO_SYNC);
    envConfig.setCacheSize(cacheBytes);
    envConfig.setLockTimeout(500, TimeUnit.MILLISECONDS);
    Environment env;
    try {
      env = new Environment(dir.toFile(), envConfig);
    } catch (EnvironmentLockedException e) {
      throw new CacheSetupException(
          "JE query cache "
              + dir
              + " is in use by another process (it holds the lock on je.lck); stop that process"
              + " or give this one its own directory",
          e);
    } catch (DatabaseException e) {
      throw new CacheSetupException("cannot open JE query cache " + dir + ": " + e, e);
    }
    try {
      DatabaseConfig dbConfig = new DatabaseConfig();
      dbConfig.setAllowCreate(true);
      dbConfig.setTransactional(true);
      Database answers = env.openDatabase(null, "answers", dbConfig);
      SecondaryConfig secConfig = new SecondaryConfig();
      secConfig.setAllowCreate(true);
      secConfig.setTransactional(true);
      secConfig.setSortedDuplicates(true);
      secConfig.setAllowPopulate(true);
      secConfig.setKeyCreator(BdbStore::expiryKey);
      SecondaryDatabase byExpiry =
          env.openSecondaryDatabase(null, "answers-by-expiry", answers, secConfig);
      return new BdbStore(env, answers, byExpiry);
    } catch (DatabaseException e) {
      env.close();
      throw new CacheSetupException("cannot open JE query cache " + dir + ": " + e, e);
    }
  }

  private static boolean expiryKey(
      SecondaryDatabase db, DatabaseEntry key, DatabaseEntry data, DatabaseEntry result) {
    if (data.getSize() < AnswerCodec.HEADER) {
      return false;
    }
    int from = data.getOffset() + AnswerCodec.EXPIRY_OFFSET;
    result.setData(Arrays.copyOfRange(data.getData(), from, from + 8));
    return true;
  }

  /** The stored bytes for {@code key}, or {@code null}; never waits for a lock. */
  byte[] get(byte[] key) {
    DatabaseEntry data = new DatabaseEntry();
    if (answers.get(null, new DatabaseEntry(key), data, Get.SEARCH, DIRTY_READ) == null) {
      return null;
    }
    return bytes(data);
  }

  /** Stores {@code value} under {@code key}; true if the key was new. */
  boolean put(byte[] key, byte[] value) {
    DatabaseEntry k = new DatabaseEntry(key);
    DatabaseEntry v = new DatabaseEntry(value);
    for (int attempt = 1; ; attempt++) {
      Transaction txn = env.beginTransaction(null, null);
      boolean committed = false;
      try {
        boolean added = answers.put(txn, k, v, Put.NO_OVERWRITE, null) != null;
        if (!added) {
          answers.put(txn, k, v, Put.OVERWRITE, null);
        }
        txn.commit();
        committed = true;
        return added;
      } catch (LockConflictException e) {
        if (attempt == RETRIES) {
          throw e;
        }
      } finally {
        if (!committed) {
          abortQuietly(txn);
        }
      }
    }
  }

  /**
   * Deletes up to {@code limit} entries in order of expiry, stopping at the first one that expires
   * after {@code expiredAtMillis} (use {@link Long#MAX_VALUE} to evict regardless); returns how
   * many were deleted.
   */
  int deleteOldest(int limit, long expiredAtMillis) {
    Transaction txn = env.beginTransaction(null, null);
    boolean committed = false;
    int deleted = 0;
    try (SecondaryCursor cursor = byExpiry.openCursor(txn, null)) {
      DatabaseEntry expiry = new DatabaseEntry();
      DatabaseEntry name = new DatabaseEntry();
      DatabaseEntry data = new DatabaseEntry();
      Get op = Get.FIRST;
      while (deleted < limit && cursor.get(expiry, name, data, op, FOR_UPDATE) != null) {
        op = Get.NEXT;
        if (ByteBuffer.wrap(bytes(expiry)).getLong() > expiredAtMillis) {
          break;
        }
        cursor.delete();
        deleted++;
      }
    } catch (RuntimeException e) {
      abortQuietly(txn);
      throw e;
    }
    try {
      txn.commit();
      committed = true;
    } finally {
      if (!committed) {
        abortQuietly(txn);
      }
    }
    return deleted;
  }

  /** Entries held, counted by JE (not exact under concurrent writes). */
  long count() {
    return answers.count();
  }

  private static byte[] bytes(DatabaseEntry entry) {
    byte[] data = entry.getData();
    if (entry.getOffset() == 0 && entry.getSize() == data.length) {
      return data;
    }
    return Arrays.copyOfRange(data, entry.getOffset(), entry.getOffset() + entry.getSize());
  }

  private static void abortQuietly(Transaction txn) {
    try {
      txn.abort();
    } catch (DatabaseException | IllegalStateException ignored) {
      // the environment is already failing; the caller reports the original error
    }
  }

  @Override
  public void close() {
    try {
      byExpiry.close();
      answers.close();
    } finally {
      env.close();
    }
  }
}
