package io.inkan.cli;

import picocli.CommandLine.Command;

/** {@code inkan keys enable}: inkanDkimActive TRUE. */
@Command(
    name = "enable",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {"Let Inkan sign with a key again: inkanDkimActive TRUE.", ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:done", "1:no such key, or the directory failed", "2:usage error"})
final class KeysEnableCommand extends KeysActivation {
  @Override
  boolean active() {
    return true;
  }
}
