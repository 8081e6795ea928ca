package io.inkan.ops;

import io.inkan.testing.Prerequisites;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Debian package on this machine, for {@link DebPackageIT}: built by {@code
 * ops/package/build-deb.sh}, installed and purged with dpkg, its programs run as the {@code inkan}
 * user the package creates.
 */
final class DebPackage {
  static final String NAME = "inkan";
  static final Path UNIT = Paths.get("/lib/systemd/system/inkan.service");

  private DebPackage() {}

  /** Skips (fails under {@code CI=true}) unless this machine can build and install the package. */
  static void requirePrerequisites(Path jar) {
    Prerequisites.require(isRoot(), "root (the test installs the package with dpkg -i)");
    Path jpackage = jdkTool("jpackage");
    Prerequisites.require(
        Files.isExecutable(jpackage),
        jpackage + " (jpackage of a JDK 17+, Debian package openjdk-17-jdk-headless)");
    Prerequisites.require(onPath("dpkg-deb"), "dpkg-deb (Debian package dpkg)");
    Prerequisites.require(onPath("fakeroot"), "fakeroot (Debian package fakeroot)");
    Prerequisites.require(onPath("adduser"), "adduser (Debian package adduser)");
    Prerequisites.require(onPath("setpriv"), "setpriv (Debian package util-linux)");
    Prerequisites.require(
        Files.isRegularFile(jar),
        "the shaded jar " + jar + " (mvn verify runs this after package)");
  }

  /** Runs {@code build-deb.sh} on {@code jar} with this JVM's JDK; the .deb it wrote. */
  static Path build(Path jar, Path dest) throws IOException, InterruptedException {
    Path script = Prerequisites.repoDir().resolve("ops/package/build-deb.sh");
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash", script.toString(), "--jar", jar.toString(), "--dest", dest.toString());
    pb.environment().put("JAVA_HOME", javaHome().toString());
    String out = run(pb, Duration.ofMinutes(15));
    String[] lines = out.strip().split("\n");
    return Paths.get(lines[lines.length - 1]);
  }

  /** Whether dpkg knows the package in any state but "not installed" (e.g. half-installed). */
  static boolean known() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("dpkg-query", "-W", "-f=${db:Status-Abbrev}", NAME)
            .redirectErrorStream(true)
            .start();
    String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return p.waitFor() == 0 && !status.startsWith("un");
  }

  /** {@code dpkg --purge}: removes the package with its configuration. */
  static String purge() throws IOException, InterruptedException {
    return run(Duration.ofMinutes(5), "dpkg", "--purge", NAME);
  }

  /** The command line of the unit's {@code ExecStart=}, split at white space as systemd does. */
  static List<String> execStart(Path unit) throws IOException {
    for (String line : Files.readAllLines(unit)) {
      if (line.startsWith("ExecStart=")) {
        return List.of(line.substring("ExecStart=".length()).strip().split("\\s+"));
      }
    }
    throw new AssertionError(unit + " has no ExecStart=");
  }

  /**
   * A process builder for {@code command} as the inkan user, as {@code User=inkan} would run it.
   */
  static ProcessBuilder asInkan(List<String> command) {
    List<String> all =
        new ArrayList<>(
            List.of("setpriv", "--reuid=inkan", "--regid=inkan", "--init-groups", "--"));
    all.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(all);
    pb.environment().put("HOME", "/var/lib/inkan");
    pb.environment().put("USER", "inkan");
    return pb;
  }

  /** Makes {@code dir} (and its parents) owned by inkan with {@code mode}, as install -d does. */
  static void inkanDir(Path dir, String mode) throws IOException, InterruptedException {
    run(Duration.ofMinutes(1), "install", "-d", "-o", "inkan", "-g", "inkan", "-m", mode, dir + "");
  }

  /** Runs a command to its end; its stdout and stderr, or an error naming both. */
  static String run(Duration timeout, String... command) throws IOException, InterruptedException {
    return run(new ProcessBuilder(command), timeout);
  }

  static String run(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
    pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
    pb.environment().merge("PATH", ":/usr/sbin:/sbin", String::concat);
    Path log = Files.createTempFile("inkan-deb-", ".log");
    try {
      Process p =
          pb.redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .redirectInput(new File("/dev/null"))
              .start();
      if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(pb.command() + ": timed out\n" + Files.readString(log));
      }
      String out = Files.readString(log);
      if (p.exitValue() != 0) {
        throw new IOException(pb.command() + ": exit " + p.exitValue() + "\n" + out);
      }
      return out;
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static boolean isRoot() {
    try {
      return Integer.valueOf(0).equals(Files.getAttribute(Paths.get("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private static Path javaHome() {
    return Paths.get(System.getProperty("java.home"));
  }

  private static Path jdkTool(String name) {
    return javaHome().resolve("bin").resolve(name);
  }

  /** On PATH, or in the sbin folders a root PATH has (dpkg runs its scripts with them). */
  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
    return Arrays.stream(path.split(File.pathSeparator))
        .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Paths.get(dir, program)));
  }
}
