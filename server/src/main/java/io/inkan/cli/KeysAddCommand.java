package io.inkan.cli;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.keys.DkimKeyGenerator;
import io.inkan.keys.admin.KeyAdminException;
import io.inkan.keys.admin.KeyEntry;
import io.inkan.keys.admin.KeyRotation;
import io.inkan.keys.admin.NewKey;
import java.io.PrintWriter;
import java.security.GeneralSecurityException;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code inkan keys add}: a new key entry, and the record to publish for it. */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {
      "Generate a key as \"inkan genkey\" does, add it below the domain's entry (adding the"
          + " domain's dc= entries that are missing) and print its DNS TXT record.",
      "The default selector is sYYYYMM (eYYYYMM for Ed25519) of the current UTC month; when that"
          + " is taken, sYYYYMMDD, then sYYYYMMDDtHHMM. A selector that exists is refused.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the key was added",
      "1:the directory refused or could not be reached, or the selector exists",
      "2:usage error"
    })
final class KeysAddCommand extends KeysSubcommand {
  @Option(
      names = "--domain",
      required = true,
      paramLabel = "DOMAIN",
      description = "Signing domain.")
  String domainOption;

  @Option(names = "--selector", paramLabel = "SELECTOR", description = "Selector (default above).")
  String selectorOption;

  @Option(names = "--ed25519", description = "Make an Ed25519 key (RFC 8463) instead of RSA.")
  boolean ed25519;

  @Option(
      names = "--bits",
      paramLabel = "BITS",
      description = "RSA key size (default: ${DEFAULT-VALUE}).")
  int bits = 2048;

  @Option(names = "--inactive", description = "Add the key with inkanDkimActive FALSE.")
  boolean inactive;

  @Override
  void run(PrintWriter out) throws KeyAdminException, KeysUsageException {
    String domain = domain(domainOption);
    KeyType type = ed25519 ? KeyType.ED25519 : KeyType.RSA;
    checkBits(type, bits);
    try (KeysConnectionOptions.Session session = connection.open()) {
      String selector =
          selectorOption != null
              ? selector(selectorOption)
              : KeyRotation.freeSelector(session.directory(), domain, type, Clock.systemUTC());
      if (session.directory().find(domain, selector).isPresent()) {
        throw new KeyAdminException(
            "selector " + selector + " of " + domain + " exists already; choose another");
      }
      NewKey key = generate(type, bits);
      KeyEntry entry = session.directory().add(domain, selector, key, !inactive);
      out.println(
          "added "
              + selector
              + " for "
              + domain
              + (inactive ? " (inactive)" : "")
              + ": "
              + entry.dn());
      out.print(key.record().zoneFileEntry(selector, domain, true));
    }
  }

  static void checkBits(KeyType type, int bits) throws KeysUsageException {
    if (type == KeyType.RSA
        && (bits < DkimKeyGenerator.MIN_RSA_BITS || bits > DkimKeyGenerator.MAX_RSA_BITS)) {
      throw new KeysUsageException(
          String.format(
              "--bits %d: RSA keys must have %d to %d bits (RFC 8301 §3.2)",
              bits, DkimKeyGenerator.MIN_RSA_BITS, DkimKeyGenerator.MAX_RSA_BITS));
    }
  }

  static NewKey generate(KeyType type, int bits) throws KeyAdminException {
    try {
      return NewKey.generate(type, bits);
    } catch (GeneralSecurityException e) {
      throw new KeyAdminException("cannot generate the key: " + e.getMessage(), e);
    }
  }
}
