package io.inkan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code inkan keys}: manages the key entries of Inkan's LDAP layout (ldap-schema/README.md) and
 * publishes their records by RFC 2136 dynamic update.
 */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    description = {
      "Manage DKIM keys kept in LDAP below a base DN: one dc= entry per domain label, one"
          + " DKIMSelector= entry per key (see ldap-schema/README.md).",
      ""
    },
    subcommands = {
      KeysAddCommand.class,
      KeysListCommand.class,
      KeysEnableCommand.class,
      KeysDisableCommand.class,
      KeysRotateCommand.class
    })
final class KeysCommand implements Runnable {
  /** Exit status when the directory, DNS or a file made the operation fail. */
  static final int EXIT_FAILED = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: add, list, enable, disable or rotate");
  }
}
