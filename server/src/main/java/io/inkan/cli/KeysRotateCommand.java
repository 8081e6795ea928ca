package io.inkan.cli;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.keys.admin.DkimNames;
import io.inkan.keys.admin.DnsUpdatePublisher;
import io.inkan.keys.admin.Durations;
import io.inkan.keys.admin.KeyAdminException;
import io.inkan.keys.admin.KeyRotation;
import io.inkan.keys.admin.RecordVisibility;
import io.inkan.keys.admin.SecretFiles;
import io.inkan.keys.admin.TsigKey;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code inkan keys rotate}: a new key next to the old, published, checked, then the old retired.
 */
@Command(
    name = "rotate",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {
      "Rotate a domain's RSA (or, with --ed25519, Ed25519) key: add a new key, inactive; publish"
          + " its TXT record by an RFC 2136 UPDATE signed with TSIG to --publish-to, or print it"
          + " for manual publication; wait until the primary and every --check-nameserver (the"
          + " system resolver when neither is given) serve it; activate it; then set"
          + " inkanDkimNotAfter = now + --retire-after on the domain's keys of that type that"
          + " signed until now, so old and new sign side by side until then.",
      "If publishing or the check fails, the new key stays inactive and nothing is retired; run"
          + " rotate again with --selector NEW once the record is published to finish.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:rotated",
      "1:the directory or DNS failed, or the record did not become visible in time",
      "2:usage error"
    })
final class KeysRotateCommand extends KeysSubcommand {
  @Option(
      names = "--domain",
      required = true,
      paramLabel = "DOMAIN",
      description = "Signing domain.")
  String domainOption;

  @Option(
      names = "--selector",
      paramLabel = "SELECTOR",
      description =
          "New selector (default: as for add). An inactive key's selector resumes its rotation.")
  String selectorOption;

  @Option(names = "--ed25519", description = "Rotate the Ed25519 key (RFC 8463) instead of RSA.")
  boolean ed25519;

  @Option(
      names = "--bits",
      paramLabel = "BITS",
      description = "RSA key size (default: ${DEFAULT-VALUE}).")
  int bits = 2048;

  @Option(
      names = "--publish-to",
      paramLabel = "HOST[:PORT]",
      description = "Primary server to send the UPDATE to (port 53 by default).")
  String publishTo;

  @Option(
      names = "--tsig-key-file",
      paramLabel = "FILE",
      description =
          "TSIG key for the UPDATE: BIND's key \"NAME\" { algorithm hmac-sha256; secret \"...\"; };"
              + " (tsig-keygen), knot's keymgr -t output, or NAME:ALGORITHM:BASE64. Must not be"
              + " group/world-readable.")
  Path tsigKeyFile;

  @Option(
      names = "--zone",
      paramLabel = "ZONE",
      description = "Zone to update (default: the one the primary's SOA answer names).")
  String zone;

  @Option(
      names = "--ttl",
      paramLabel = "SECONDS",
      description = "TTL of the published record (default: ${DEFAULT-VALUE}).")
  long ttl = 3600;

  @Option(
      names = "--check-nameserver",
      paramLabel = "HOST[:PORT]",
      description = "Also wait until this server serves the record (repeatable).")
  List<String> checkNameservers = new ArrayList<>();

  @Option(
      names = "--wait-visible",
      paramLabel = "SECONDS",
      description = "How long to wait for the record to be served (default: ${DEFAULT-VALUE}).")
  int waitVisible = 60;

  @Option(
      names = "--retire-after",
      paramLabel = "DURATION",
      description = "How long the old keys keep signing, e.g. 7d, 36h, P7D (default: 7d).")
  String retireAfter = "7d";

  @Override
  void run(PrintWriter out) throws KeyAdminException, KeysUsageException {
    String domain = domain(domainOption);
    Optional<String> selector =
        selectorOption == null ? Optional.empty() : Optional.of(selector(selectorOption));
    KeyType type = ed25519 ? KeyType.ED25519 : KeyType.RSA;
    KeysAddCommand.checkBits(type, bits);
    Duration retire =
        Durations.parse(retireAfter)
            .orElseThrow(
                () -> new KeysUsageException("--retire-after " + retireAfter + ": e.g. 7d or 36h"));
    if (waitVisible < 0 || ttl < 0 || ttl > Integer.MAX_VALUE) {
      throw new KeysUsageException("--wait-visible and --ttl take seconds, 0 or more");
    }
    if ((publishTo == null) != (tsigKeyFile == null)) {
      throw new KeysUsageException("--publish-to and --tsig-key-file go together");
    }
    if (zone != null && publishTo == null) {
      throw new KeysUsageException("--zone needs --publish-to");
    }
    List<InetSocketAddress> checked = new ArrayList<>();
    for (String ns : checkNameservers) {
      checked.add(address("--check-nameserver", ns));
    }
    KeyRotation.Publication publication;
    if (publishTo != null) {
      InetSocketAddress primary = address("--publish-to", publishTo);
      DnsUpdatePublisher publisher =
          new DnsUpdatePublisher(
              primary, tsigKey(), Duration.ofSeconds(10), Optional.ofNullable(zone));
      checked.add(0, primary);
      publication =
          (selectorName, key) -> {
            String owner = DkimNames.recordName(selectorName, domain);
            DnsUpdatePublisher.Outcome done = publisher.publish(owner, key.record().strings(), ttl);
            return (done.existed() ? "already published " : "published ")
                + owner
                + " TXT in "
                + done.zone()
                + " on "
                + publisher.server();
          };
    } else {
      publication =
          (selectorName, key) -> {
            out.println("publish this record in the zone of " + domain + ":");
            out.print(key.record().zoneFileEntry(selectorName, domain, true));
            out.flush();
            return "waiting up to " + waitVisible + " s for the record to be published";
          };
    }
    RecordVisibility visibility = new RecordVisibility(checked, Duration.ofSeconds(waitVisible));
    try (KeysConnectionOptions.Session session = connection.open()) {
      KeyRotation rotation =
          new KeyRotation(
              session.directory(), publication, visibility::await, Clock.systemUTC(), out::println);
      rotation.rotate(new KeyRotation.Request(domain, selector, type, bits, retire));
    }
  }

  private TsigKey tsigKey() throws KeysUsageException {
    try {
      return TsigKey.parse(SecretFiles.read(tsigKeyFile), tsigKeyFile.toString());
    } catch (KeyAdminException e) {
      throw new KeysUsageException("--tsig-key-file " + e.getMessage());
    }
  }

  /** {@code HOST}, {@code HOST:PORT}, {@code IPv6} or {@code [IPv6]:PORT}; port 53 by default. */
  static InetSocketAddress address(String option, String text) throws KeysUsageException {
    try {
      if (text.startsWith("[") || text.matches("[0-9A-Fa-f.:]+")) {
        return HostPort.parse(text, 53);
      }
      int colon = text.indexOf(':');
      String host = colon < 0 ? text : text.substring(0, colon);
      int port = colon < 0 ? 53 : Integer.parseInt(text.substring(colon + 1));
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new IllegalArgumentException("bad host or port");
      }
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (IllegalArgumentException e) {
      throw new KeysUsageException(option + " " + text + ": expected HOST or HOST:PORT");
    } catch (UnknownHostException e) {
      throw new KeysUsageException(option + " " + text + ": unknown host");
    }
  }
}
