package io.inkan.cli;

import io.inkan.keys.admin.KeyAdminException;
import io.inkan.keys.admin.KeyEntry;
import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inkan keys list}: the key entries, one line each, never the keys. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {
      "List key entries, one line each, tab-separated: domain, selector, algorithm (- when"
          + " unset), active or inactive (inkanDkimActive; unset counts as active), not-before and"
          + " not-after (ISO-8601 UTC, - when unset), DN. Sorted by domain and selector.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:listed (maybe nothing)", "1:the directory failed", "2:usage error"})
final class KeysListCommand extends KeysSubcommand {
  @Option(
      names = "--domain",
      paramLabel = "DOMAIN",
      description = "Only this domain's keys (default: every key below the base).")
  String domainOption;

  @Override
  void run(PrintWriter out) throws KeyAdminException, KeysUsageException {
    Optional<String> domain = Optional.empty();
    if (domainOption != null) {
      domain = Optional.of(domain(domainOption));
    }
    try (KeysConnectionOptions.Session session = connection.open()) {
      for (KeyEntry key : session.directory().list(domain)) {
        out.println(key.listLine());
      }
    }
  }
}
