package io.inkan.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the outside tools the ops tests check files with ({@code postconf}, systemd-analyze). */
final class OpsProcesses {
  /** A condition polled until it holds. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  private OpsProcesses() {}

  /**
   * Runs a command to its end (at most a minute) and returns stdout and stderr together.
   *
   * @throws IOException naming the command and its output when it fails
   */
  static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": timed out\n" + out);
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + "\n" + out);
    }
    return out;
  }
}
