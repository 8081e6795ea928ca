package io.inkan.dataset.je;

import com.sleepycat.je.DatabaseException;
import io.inkan.dataset.DataSetUnavailableException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One read-only JE environment per directory in this process, shared by every data set naming it.
 *
 * <p>JE lets one process open an environment read-write while others open it read-only, but a
 * read-only handle sees the environment as it was when opened (the JE Getting Started Guide,
 * "Multiple process access"). Within one process JE shares a single environment among all handles
 * to a directory, so a fresh view needs every handle closed first: hence one shared, reference
 * counted holder that {@link #reopen()} closes and opens again. A failed reopen leaves the holder
 * without handles; lookups then fail as unavailable and retry the open at most once a second.
 */
final class SharedReadOnlyEnvironment {
  private static final Map<Path, SharedReadOnlyEnvironment> OPEN = new HashMap<>();
  private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path home;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private int refs; // guarded by OPEN
  private JeHandles handles; // guarded by lock
  private String failure; // guarded by lock; why handles is null
  private long generation; // guarded by lock
  private long lastAttempt; // guarded by lock
  private boolean closed; // guarded by lock

  /** What a lookup does with the open databases. */
  interface Read<T> {
    T apply(JeHandles handles);
  }

  private SharedReadOnlyEnvironment(Path home, JeHandles handles) {
    this.home = home;
    this.handles = handles;
  }

  /** The shared environment of directory {@code home} (a real path), opened on first use. */
  static SharedReadOnlyEnvironment acquire(Path home) throws JeTableException {
    synchronized (OPEN) {
      SharedReadOnlyEnvironment shared = OPEN.get(home);
      if (shared == null) {
        shared = new SharedReadOnlyEnvironment(home, JeHandles.openReadOnly(home));
        OPEN.put(home, shared);
      }
      shared.refs++;
      return shared;
    }
  }

  Path home() {
    return home;
  }

  /** Gives up one reference; the last one closes the environment. */
  void release() {
    synchronized (OPEN) {
      if (--refs > 0) {
        return;
      }
      OPEN.remove(home);
      // still holding OPEN, so that nobody opens this directory again before JE has let go of it
      lock.writeLock().lock();
      try {
        closed = true;
        closeHandles("closed");
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  /** Closes the environment and opens it again, to see what a writer has changed since. */
  void reopen() {
    lock.writeLock().lock();
    try {
      reopenLocked();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Runs {@code read} on the open databases. A JE failure reopens the environment once (its files
   * may have been replaced) and retries; a second failure is unavailability.
   */
  <T> T read(Read<T> read) {
    long seen;
    lock.readLock().lock();
    try {
      if (handles != null) {
        try {
          return read.apply(handles);
        } catch (DatabaseException | IllegalStateException e) {
          seen = generation;
        }
      } else {
        seen = -1;
      }
    } finally {
      lock.readLock().unlock();
    }
    lock.writeLock().lock();
    try {
      if (closed) {
        throw unavailable("the data set is closed", null);
      }
      boolean due = System.nanoTime() - lastAttempt >= RETRY_NANOS;
      if (generation == seen || (handles == null && due)) {
        reopenLocked();
      }
      if (handles == null) {
        throw unavailable(failure, null);
      }
      try {
        return read.apply(handles);
      } catch (DatabaseException | IllegalStateException e) {
        throw unavailable(JeHandles.firstLine(e), e);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void reopenLocked() {
    if (closed) {
      return;
    }
    closeHandles("not reopened yet");
    lastAttempt = System.nanoTime();
    try {
      handles = JeHandles.openReadOnly(home);
      failure = null;
    } catch (JeTableException e) {
      failure = e.getMessage();
    }
  }

  private void closeHandles(String why) {
    if (handles != null) {
      handles.close();
      handles = null;
    }
    failure = why;
    generation++;
  }

  private DataSetUnavailableException unavailable(String why, Throwable cause) {
    return new DataSetUnavailableException("JE environment " + home + ": " + why, cause);
  }
}
