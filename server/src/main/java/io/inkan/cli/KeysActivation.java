package io.inkan.cli;

import io.inkan.keys.admin.KeyAdminException;
import io.inkan.keys.admin.KeyEntry;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Option;

/** {@code inkan keys enable} and {@code disable}: sets a key's {@code inkanDkimActive}. */
abstract class KeysActivation extends KeysSubcommand {
  @Option(
      names = "--domain",
      required = true,
      paramLabel = "DOMAIN",
      description = "Signing domain.")
  String domainOption;

  @Option(names = "--selector", required = true, paramLabel = "SELECTOR", description = "Selector.")
  String selectorOption;

  /** The flag to set. */
  abstract boolean active();

  @Override
  void run(PrintWriter out) throws KeyAdminException, KeysUsageException {
    String domain = domain(domainOption);
    String selector = selector(selectorOption);
    try (KeysConnectionOptions.Session session = connection.open()) {
      KeyEntry key =
          session
              .directory()
              .find(domain, selector)
              .orElseThrow(
                  () ->
                      new KeyAdminException(
                          "no key "
                              + selector
                              + " for "
                              + domain
                              + " below "
                              + session.directory().base()));
      session.directory().setActive(key, active());
      out.println(
          (active() ? "enabled " : "disabled ") + selector + " of " + domain + ": " + key.dn());
      if (active() && key.notAfter().filter(t -> !Instant.now().isBefore(t)).isPresent()) {
        out.println(
            "note: its inkanDkimNotAfter "
                + key.notAfter().get()
                + " has passed, so Inkan still does not sign with it");
      }
    }
  }
}
