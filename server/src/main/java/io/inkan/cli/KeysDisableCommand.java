package io.inkan.cli;

import picocli.CommandLine.Command;

/** {@code inkan keys disable}: inkanDkimActive FALSE. */
@Command(
    name = "disable",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {
      "Stop Inkan signing with a key (inkanDkimActive FALSE); the entry and its DNS record stay.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done", "1:no such key, or the directory failed", "2:usage error"})
final class KeysDisableCommand extends KeysActivation {
  @Override
  boolean active() {
    return false;
  }
}
