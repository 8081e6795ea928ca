package io.inkan.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import io.inkan.cli.InkanTestServer;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UserID really drops root: each case runs in a child JVM (a drop cannot be undone), which reports
 * the kernel's view of every thread from {@code /proc}. Needs root (as on CI); skipped otherwise.
 */
class PrivilegeDropTest {
  private static final int NOBODY = 65534;

  @TempDir Path dir;

  @BeforeAll
  static void root() throws Exception {
    Assumptions.assumeTrue(PrivilegeDrop.effectiveUid() == 0, "needs root to drop privileges");
  }

  @Test
  void everyThreadBecomesNobodyAndCannotRegainRoot() throws Exception {
    String out = child(60, "drop", "nobody");
    assertThat(out).contains("dropped nobody(65534):nogroup(65534)", "setuid(0) errno 1");
    List<String> ids = idLines(out);
    assertThat(ids).as(out).hasSizeGreaterThan(10); // the JVM's threads plus ours, 2 lines each
    assertThat(ids).as(out).allMatch(l -> PrivilegeDrop.allIds(l, NOBODY));
    assertThat(out).contains("Groups:\t65534");
  }

  @Test
  void userAndGroupPair() throws Exception {
    String out = child(60, "drop", "nobody", "daemon");
    assertThat(out).contains("dropped nobody(65534):daemon(1)", "setuid(0) errno 1");
    for (String l : idLines(out)) {
      assertThat(PrivilegeDrop.allIds(l, l.startsWith("Uid:") ? NOBODY : 1)).as(out).isTrue();
    }
  }

  @Test
  void servingInkanRunsAsNobodyWithItsSocketWhereOnlyRootCanReach() throws Exception {
    Path secret = Files.createDirectory(dir.resolve("root-only"));
    Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------"));
    Path key = secret.resolve("sel.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path sock = secret.resolve("inkan.sock");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Mode sv\nSocket local:"
                + sock
                + "\nDomain example.com\nSelector sel\nKeyFile "
                + key
                + "\nUserID nobody\n");
    Process p = start("serve", conf.toString());
    try {
      String ready = readLine(p.getInputStream());
      assertThat(ready).isEqualTo("ready " + p.pid());
      List<String> ids = new ArrayList<>();
      try (DirectoryStream<Path> tasks =
          Files.newDirectoryStream(Path.of("/proc", Long.toString(p.pid()), "task"))) {
        for (Path t : tasks) {
          Files.readAllLines(t.resolve("status")).stream()
              .filter(l -> l.startsWith("Uid:") || l.startsWith("Gid:"))
              .forEach(ids::add);
        }
      }
      assertThat(ids).hasSizeGreaterThan(10).allMatch(l -> PrivilegeDrop.allIds(l, NOBODY));
      assertThat(Files.getAttribute(sock, "unix:uid")).isEqualTo(NOBODY);
      assertThat(Files.getAttribute(sock, "unix:gid")).isEqualTo(NOBODY);
      assertThat(negotiate(sock)).isEqualTo((byte) 'O');
    } finally {
      p.getOutputStream().close();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  @Test
  void unknownUsersAndNonRootSwitchesStopStartUp() throws Exception {
    Path unknown =
        Files.writeString(
            dir.resolve("unknown.conf"),
            "Mode v\nSocket local:" + dir.resolve("a.sock") + "\nUserID no-such-user-inkan\n");
    Path other =
        Files.writeString(
            dir.resolve("other.conf"),
            "Mode v\nSocket local:" + dir.resolve("b.sock") + "\nUserID daemon\n");
    Path open = Files.createDirectory(dir.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
    Path same =
        Files.writeString(
            dir.resolve("same.conf"),
            "Mode v\nSocket local:" + open.resolve("c.sock") + "\nUserID nobody\n");
    Path warm =
        Files.writeString(
            dir.resolve("warm.conf"), "Mode v\nSocket local:" + dir.resolve("d.sock") + "\n");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    String out =
        child(
            60, "refusals", unknown.toString(), other.toString(), same.toString(), warm.toString());
    assertThat(out)
        .contains("UserID no-such-user-inkan: no such user")
        .contains("UserID daemon: only root can switch users")
        .contains("same user: started");
  }

  /** An SMFIC_OPTNEG frame; the reply's command byte. */
  private static byte negotiate(Path sock) throws Exception {
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
      ByteBuffer f = ByteBuffer.allocate(17).putInt(13).put((byte) 'O');
      f.putInt(6).putInt(0x1ff).putInt(0x1fffff).flip();
      c.write(f);
      ByteBuffer r = ByteBuffer.allocate(5);
      while (r.hasRemaining() && c.read(r) >= 0) {}
      return r.get(4);
    }
  }

  private static List<String> idLines(String out) {
    return out.lines()
        .map(l -> l.replaceFirst("^task \\d+ ", ""))
        .filter(l -> l.startsWith("Uid:") || l.startsWith("Gid:"))
        .toList();
  }

  private static Process start(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(readableClassPath());
    cmd.add(PrivilegeDropTest.class.getName());
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /**
   * The test class path, with the jars that declare Vert.x service providers copied where any user
   * may read them: every new Vert.x reads those declarations again (ServiceLoader opens the jar
   * without its cache), and after the drop the local Maven repository under /root is closed to the
   * child. An installed Inkan's jar is world-readable.
   */
  private static String readableClassPath() throws Exception {
    List<String> entries = new ArrayList<>();
    Path copies = null;
    for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      if (e.endsWith(".jar") && e.contains("vertx-hazelcast")) {
        if (copies == null) {
          copies = Files.createTempDirectory("inkan-readable-jars");
          Files.setPosixFilePermissions(copies, PosixFilePermissions.fromString("rwxr-xr-x"));
          copies.toFile().deleteOnExit();
        }
        Path copy = copies.resolve(Path.of(e).getFileName());
        Files.copy(Path.of(e), copy);
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        copy.toFile().deleteOnExit();
        entries.add(copy.toString());
      } else {
        entries.add(e);
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  private static String child(int seconds, String... args) throws Exception {
    Process p = start(args);
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as(out).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  private static String readLine(InputStream in) throws Exception {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
      b.append((char) c);
    }
    return b.toString();
  }

  /** The child JVM: {@code drop USER [GROUP]}, {@code serve CONF} or {@code refusals CONF...}. */
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "drop" -> drop(args[1], Optional.ofNullable(args.length > 2 ? args[2] : null));
      case "serve" -> serve(Path.of(args[1]));
      case "refusals" -> refusals(args);
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static void drop(String user, Optional<String> group) throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    for (int i = 0; i < 4; i++) { // threads that exist before the drop, as Vert.x's do
      Thread t = new Thread(() -> await(done));
      t.setDaemon(true);
      t.start();
    }
    PrivilegeDrop.Account to = PrivilegeDrop.resolve(user, group);
    PrivilegeDrop.drop(to);
    System.out.println("dropped " + to);
    try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
      for (Path t : tasks) {
        for (String l : Files.readAllLines(t.resolve("status"))) {
          if (l.startsWith("Uid:") || l.startsWith("Gid:") || l.startsWith("Groups:")) {
            System.out.println("task " + t.getFileName() + " " + l);
          }
        }
      }
    }
    try {
      int r = Native.load("c", PrivilegeDrop.LibC.class).setuid(0);
      System.out.println("setuid(0) returned " + r);
    } catch (LastErrorException e) {
      System.out.println("setuid(0) errno " + e.getErrorCode());
    }
    done.countDown();
  }

  private static void serve(Path conf) throws Exception {
    try (InkanTestServer server = InkanTestServer.start(conf)) {
      System.out.println("ready " + ProcessHandle.current().pid());
      System.out.flush();
      System.in.read(); // until the parent closes our stdin
    }
  }

  private static void refusals(String[] args) throws Exception {
    try {
      InkanTestServer.start(Path.of(args[1])).close();
      System.out.println("unknown user: started");
    } catch (IllegalStateException e) {
      System.out.println(e.getMessage());
    }
    // as root, open every jar a server needs: after the drop, nobody cannot read under /root
    InkanTestServer.start(Path.of(args[4])).close();
    PrivilegeDrop.drop(PrivilegeDrop.resolve("nobody", Optional.empty()));
    try {
      InkanTestServer.start(Path.of(args[2])).close();
      System.out.println("other user: started");
    } catch (IllegalStateException e) {
      System.out.println(e.getMessage());
    }
    InkanTestServer.start(Path.of(args[3])).close();
    System.out.println("same user: started");
  }

  private static void await(CountDownLatch done) {
    try {
      done.await();
    } catch (InterruptedException e) {
      throw new UncheckedIOException(new java.io.IOException(e));
    }
  }
}
