package io.inkan.cache;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when something outside the repository is missing: skip with a message naming the
 * Debian package, except under {@code CI=true}, where a missing package fails the build.
 */
public final class TestPrerequisites {
  private TestPrerequisites() {}

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
}
