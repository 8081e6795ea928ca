package io.inkan.runtime;

import io.inkan.milter.MilterSession;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Limits of a {@link MilterServer}, immutable; start from {@link #DEFAULT} and change with the
 * {@code with*} methods.
 *
 * @param maxConnections connections served at once; further ones are closed at once
 * @param messageDeadline how long an end-of-message answer may take before the MTA gets tempfail
 *     (well under Postfix's 30 s {@code milter_command_timeout})
 * @param stallTimeout how long a client may leave a frame half-sent before it is disconnected
 * @param session the session limits and fallback verdict
 * @param socketPermissions permissions of a unix socket file after binding (from {@code Umask});
 *     empty leaves the process umask's result
 */
public record MilterServerOptions(
    int maxConnections,
    Duration messageDeadline,
    Duration stallTimeout,
    MilterSession.Settings session,
    Optional<Set<PosixFilePermission>> socketPermissions) {
  public static final MilterServerOptions DEFAULT =
      new MilterServerOptions(
          1024,
          Duration.ofSeconds(10),
          Duration.ofSeconds(300),
          MilterSession.Settings.DEFAULT,
          Optional.empty());

  public MilterServerOptions {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: >= 1)");
    }
    positive(messageDeadline, "messageDeadline");
    positive(stallTimeout, "stallTimeout");
    Objects.requireNonNull(session, "session");
    socketPermissions = socketPermissions.map(Set::copyOf);
  }

  public MilterServerOptions withMaxConnections(int n) {
    return new MilterServerOptions(n, messageDeadline, stallTimeout, session, socketPermissions);
  }

  public MilterServerOptions withMessageDeadline(Duration d) {
    return new MilterServerOptions(maxConnections, d, stallTimeout, session, socketPermissions);
  }

  public MilterServerOptions withStallTimeout(Duration d) {
    return new MilterServerOptions(maxConnections, messageDeadline, d, session, socketPermissions);
  }

  public MilterServerOptions withSession(MilterSession.Settings s) {
    return new MilterServerOptions(
        maxConnections, messageDeadline, stallTimeout, s, socketPermissions);
  }

  /** Unix socket permissions as {@code 0777 & ~umask} (OpenDKIM's {@code Umask}). */
  public MilterServerOptions withUmask(int umask) {
    if (umask < 0 || umask > 0777) {
      throw new IllegalArgumentException(
          "umask: " + Integer.toOctalString(umask) + " (expected: 0-0777)");
    }
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] all = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
    for (int i = 0; i < 9; i++) {
      if ((umask & (0400 >> i)) == 0) {
        perms.add(all[i]);
      }
    }
    return new MilterServerOptions(
        maxConnections, messageDeadline, stallTimeout, session, Optional.of(perms));
  }

  private static void positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
    }
  }
}
