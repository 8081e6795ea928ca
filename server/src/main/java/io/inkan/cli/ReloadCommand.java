package io.inkan.cli;

import io.inkan.config.ConfigException;
import io.inkan.config.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inkan reload}: asks the running daemon named by the configuration's {@code PidFile} to
 * re-read its configuration and data sets (SIGUSR1, OpenDKIM's reload signal), dropping cached SQL,
 * LDAP and JE answers. The daemon keeps its old state when the new configuration does not validate
 * and logs why.
 */
@Command(
    name = "reload",
    mixinStandardHelpOptions = true,
    description = "Make the running inkan serve re-read its configuration and data sets.",
    footer = {
      "Exit status: 0 when the signal was sent, 1 when no daemon runs under PidFile,",
      "78 when the configuration cannot be read or names no PidFile."
    })
final class ReloadCommand implements Callable<Integer> {
  private static final Path DEFAULT_CONFIG = Path.of("/etc/inkan/inkan.conf");

  @Option(
      names = "-x",
      paramLabel = "FILE",
      description = "Configuration file of the daemon (default: " + "/etc/inkan/inkan.conf).")
  Path configFile = DEFAULT_CONFIG;

  @Override
  public Integer call() throws Exception {
    Path pidFile;
    try {
      pidFile = ConfigLoader.load(configFile).config().service().pidFile().orElse(null);
    } catch (ConfigException e) {
      System.err.println("inkan reload: " + e.getMessage());
      return ServeCommand.EX_CONFIG;
    }
    if (pidFile == null) {
      System.err.println("inkan reload: " + configFile + " names no PidFile");
      return ServeCommand.EX_CONFIG;
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
    } catch (IOException | NumberFormatException e) {
      System.err.println("inkan reload: cannot read a pid from " + pidFile + ": " + e);
      return 1;
    }
    if (!isInkan(pid)) {
      System.err.println(
          "inkan reload: process " + pid + " (from " + pidFile + ") is not a running inkan serve");
      return 1;
    }
    Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(pid)).inheritIO().start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      System.err.println("inkan reload: could not signal process " + pid);
      return 1;
    }
    System.out.println("inkan reload: sent SIGUSR1 to " + pid);
    return 0;
  }

  /** Whether {@code pid} runs {@code inkan ... serve} (never signal a stale pid's new owner). */
  private static boolean isInkan(long pid) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      String cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
      return cmd.contains("serve") && (cmd.contains("inkan") || cmd.contains("io.inkan"));
    } catch (IOException e) {
      return false;
    }
  }
}
