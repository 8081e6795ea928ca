package io.inkan.cli;

import io.inkan.bench.BenchCommand;
import io.inkan.dkim.crypto.CryptoProviders;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar inkan.jar}: dispatches to the subcommands. */
@Command(
    name = "inkan",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    description = "DKIM signing and verification for mail operators.",
    subcommands = {
      SignCommand.class,
      VerifyCommand.class,
      GenkeyCommand.class,
      TestkeyCommand.class,
      StatsCommand.class,
      GenzoneCommand.class,
      ServeCommand.class,
      ReloadCommand.class,
      BenchCommand.class,
      KeysCommand.class,
      DbCommand.class
    })
public final class InkanMain implements Runnable {
  /** Exit status for usage and I/O errors, shared by every command. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit status (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    // picocli already exits 2 (ExitCode.USAGE) on invalid input; unexpected errors are I/O ones.
    return new CommandLine(new InkanMain())
        .setExecutionExceptionHandler(
            (e, cmd, parsed) -> {
              cmd.getErr().println("inkan " + cmd.getCommandName() + ": " + e.getMessage());
              return EXIT_USAGE;
            });
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  /** The version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = InkanMain.class.getPackage().getImplementationVersion();
      return new String[] {
        "inkan " + (v == null ? "(development build)" : v),
        "crypto: " + CryptoProviders.get().describe(),
        "java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
      };
    }
  }
}
