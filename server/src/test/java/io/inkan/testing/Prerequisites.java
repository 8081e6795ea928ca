package io.inkan.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides what a test does when something outside the repository is missing: skip with a message
 * naming the package to install, except under {@code CI=true}, where it fails so that a broken
 * install step cannot hide behind skips.
 */
public final class Prerequisites {
  private Prerequisites() {}

  public static boolean onCi() {
    return "true".equals(System.getenv("CI"));
  }

  /** Skips (or fails on CI) unless {@code ok}. */
  public static void require(boolean ok, String what) {
    if (!ok && onCi()) {
      throw new AssertionError("CI=true but " + what + " is missing");
    }
    Assumptions.assumeTrue(ok, what + " is missing; skipping");
  }

  /** The shared corpus folder {@code ../shared/corpus/NAME} next to the repository. */
  public static Path corpus(String name) {
    Path dir = sharedDir().resolve("corpus").resolve(name);
    require(Files.isDirectory(dir), "the shared corpus " + dir);
    return dir;
  }

  /**
   * The shared folder: {@code INKAN_SHARED} when set, else {@code ../shared} next to the
   * repository, which a user's clone lacks.
   */
  public static Path sharedDir() {
    String env = System.getenv("INKAN_SHARED");
    if (env != null && !env.isBlank()) {
      return Paths.get(env).toAbsolutePath().normalize();
    }
    return repoDir().resolve("../shared").normalize();
  }

  /** The repository's top folder. */
  public static Path repoDir() {
    String p = System.getProperty("inkan.repo");
    return (p != null ? Paths.get(p) : Paths.get("..")).toAbsolutePath().normalize();
  }

  /** The Debian python3 with dkimpy; skips (fails on CI) naming the packages when absent. */
  public static Path dkimpyPython() {
    Path python = Paths.get("/usr/bin/python3");
    boolean ok =
        Files.isExecutable(python) && succeeds(python.toString(), "-c", "import dkim, nacl");
    require(ok, "dkimpy (Debian packages python3-dkim and python3-nacl)");
    return python;
  }

  private static boolean succeeds(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
