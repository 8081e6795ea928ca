package io.inkan.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Becoming {@code UserID user[:group]} when started as root, as OpenDKIM does (opendkim.conf(5),
 * UserID): supplementary groups ({@code initgroups}), then {@code setgid}, then {@code setuid},
 * then a check that root cannot be regained. Names are resolved with libc's {@code getpwnam} and
 * {@code getgrnam}, so every NSS source (files, LDAP, ...) counts; the group defaults to the user's
 * primary group.
 *
 * <p>The JVM runs many threads, and the Linux system calls change only the calling thread's
 * credentials. glibc's {@code setgroups}/{@code setgid}/{@code setuid} wrappers apply the change to
 * every thread of the process (its "setxid" broadcast), which is why they are called through libc
 * (JNA) and never as raw system calls; {@link #drop} then reads {@code /proc/self/task/}{@code
 * *}{@code /status} to make sure no thread kept another identity.
 */
public final class PrivilegeDrop {

  /** A resolved account: whom to become. */
  public record Account(String user, int uid, String group, int gid) {
    @Override
    public String toString() {
      return user + "(" + uid + "):" + group + "(" + gid + ")";
    }
  }

  /** The libc calls used; those declaring {@link LastErrorException} report errno. */
  interface LibC extends Library {
    int getuid();

    int geteuid();

    int getgid();

    int getegid();

    Pointer getpwnam(String name);

    Pointer getgrnam(String name);

    Pointer getgrgid(int gid);

    int initgroups(String user, int gid) throws LastErrorException;

    int setgid(int gid) throws LastErrorException;

    int setuid(int uid) throws LastErrorException;

    int chown(String path, int uid, int gid) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC LIBC = Native.load("c", LibC.class);
  }

  private PrivilegeDrop() {}

  private static LibC libc() throws PrivilegeDropException {
    try {
      return Holder.LIBC;
    } catch (LinkageError e) {
      throw new PrivilegeDropException("cannot call libc through JNA: " + e, e);
    }
  }

  /** The effective user id of this process. */
  public static int effectiveUid() throws PrivilegeDropException {
    return libc().geteuid();
  }

  /** The effective group id of this process. */
  public static int effectiveGid() throws PrivilegeDropException {
    return libc().getegid();
  }

  /**
   * Looks up {@code user} and, if given, {@code group} (else the user's primary group).
   *
   * @throws PrivilegeDropException naming the user or group that does not exist
   */
  public static Account resolve(String user, Optional<String> group) throws PrivilegeDropException {
    LibC c = libc();
    // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... }
    // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; ... } (glibc and musl)
    long ids = 2L * Native.POINTER_SIZE;
    Pointer pw = c.getpwnam(user);
    if (pw == null) {
      throw new PrivilegeDropException("no such user: " + user);
    }
    int uid = pw.getInt(ids);
    int primary = pw.getInt(ids + 4);
    if (group.isPresent()) {
      Pointer gr = c.getgrnam(group.get());
      if (gr == null) {
        throw new PrivilegeDropException("no such group: " + group.get());
      }
      return new Account(user, uid, group.get(), gr.getInt(ids));
    }
    Pointer gr = c.getgrgid(primary);
    String name = gr == null ? Integer.toString(primary) : gr.getPointer(0).getString(0);
    return new Account(user, uid, name, primary);
  }

  /** Gives {@code path} to the account (for a unix socket bound while still root). */
  public static void chown(Path path, Account to) throws PrivilegeDropException {
    try {
      libc().chown(path.toString(), to.uid(), to.gid());
    } catch (LastErrorException e) {
      throw new PrivilegeDropException(
          "cannot give " + path + " to " + to + ": errno " + e.getErrorCode(), e);
    }
  }

  /**
   * Becomes {@code to} for good: initgroups, setgid, setuid, in that order (each needs the
   * privilege the next one gives up), then checks that every thread runs as {@code to} and that
   * {@code setuid(0)} fails.
   *
   * @throws PrivilegeDropException when a step fails or root could be regained; the process must
   *     not go on serving then
   */
  public static void drop(Account to) throws PrivilegeDropException {
    LibC c = libc();
    step(
        "initgroups(" + to.user() + ", " + to.gid() + ")", () -> c.initgroups(to.user(), to.gid()));
    step("setgid(" + to.gid() + ")", () -> c.setgid(to.gid()));
    step("setuid(" + to.uid() + ")", () -> c.setuid(to.uid()));
    if (c.getuid() != to.uid()
        || c.geteuid() != to.uid()
        || c.getgid() != to.gid()
        || c.getegid() != to.gid()) {
      throw new PrivilegeDropException(
          "still uid "
              + c.getuid()
              + "/"
              + c.geteuid()
              + " gid "
              + c.getgid()
              + "/"
              + c.getegid()
              + " after switching to "
              + to);
    }
    if (to.uid() != 0) {
      boolean regained;
      try {
        regained = c.setuid(0) == 0;
      } catch (LastErrorException expected) {
        regained = false;
      }
      if (regained) {
        throw new PrivilegeDropException("setuid(0) succeeded after switching to " + to);
      }
    }
    checkAllThreads(to);
  }

  private interface Call {
    int run() throws LastErrorException;
  }

  private static void step(String what, Call call) throws PrivilegeDropException {
    try {
      if (call.run() != 0) {
        throw new PrivilegeDropException(what + " failed");
      }
    } catch (LastErrorException e) {
      throw new PrivilegeDropException(what + " failed: errno " + e.getErrorCode(), e);
    }
  }

  /** Linux only (elsewhere /proc/self/task is absent and the check is skipped). */
  private static void checkAllThreads(Account to) throws PrivilegeDropException {
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return;
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(tasks)) {
      for (Path task : all) {
        String uid = null;
        String gid = null;
        try {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("Uid:")) {
              uid = line;
            } else if (line.startsWith("Gid:")) {
              gid = line;
            }
          }
        } catch (NoSuchFileException gone) {
          continue; // the thread ended meanwhile
        }
        if (!allIds(uid, to.uid()) || !allIds(gid, to.gid())) {
          throw new PrivilegeDropException(
              "thread " + task.getFileName() + " still has " + uid + " " + gid);
        }
      }
    } catch (IOException e) {
      throw new PrivilegeDropException("cannot check the threads' ids: " + e, e);
    }
  }

  /** Whether a status line "Uid:\treal\teffective\tsaved\tfilesystem" shows only {@code id}. */
  static boolean allIds(String line, int id) {
    if (line == null) {
      return false;
    }
    String[] f = line.trim().split("\\s+");
    for (int i = 1; i < f.length; i++) {
      if (Integer.parseUnsignedInt(f[i]) != id) {
        return false;
      }
    }
    return f.length == 5;
  }
}
