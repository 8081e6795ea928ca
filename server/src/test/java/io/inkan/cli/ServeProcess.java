package io.inkan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** {@code inkan serve -x CONF} in a JVM of its own, for tests of signals, pid files and reload. */
final class ServeProcess {
  private ServeProcess() {}

  /** Starts the daemon with the test class path; stdout and stderr go to {@code log}. */
  static Process start(Path conf, Path log) throws IOException {
    return new ProcessBuilder(
            Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            InkanMain.class.getName(),
            "serve",
            "-x",
            conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }
}
