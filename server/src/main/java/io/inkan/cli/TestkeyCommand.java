package io.inkan.cli;

import io.inkan.config.Config;
import io.inkan.config.ConfigException;
import io.inkan.config.ConfigLoader;
import io.inkan.config.DnsSettings;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.dns.DnsKeyRecordLookup;
import io.inkan.dns.DnssecStatus;
import io.inkan.dns.KeyRecordLookups;
import io.inkan.dns.TestKeysFile;
import io.inkan.dns.TrustAnchors;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.KeyTableRow;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.keys.tools.ConfiguredKeys;
import io.inkan.keys.tools.KeyCheck;
import io.inkan.keys.tools.KeyCheckResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inkan testkey}: opendkim-testkey's check that a published key record exists, parses and
 * matches the private key, for one key or every key of a configuration.
 */
@Command(
    name = "testkey",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {
      "Look up SELECTOR._domainkey.DOMAIN in DNS and check that it is a DKIM key record"
          + " (RFC 6376 §3.6.1) that is not revoked, has the key's type, publishes the private"
          + " key's public half and lets verifiers accept its signatures (h=, s=, RSA size).",
      "Prints one line per key: DOMAIN/SELECTOR: key OK, or the reason. With -x and without -k,"
          + " tests every key of the configuration's KeyTable (or Domain/Selector/KeyFile),"
          + " narrowed by -d and -s; keys whose domain is %% are skipped.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every record matches its key",
      "1:a record is missing, unparseable, revoked, of another key, or DNS failed",
      "2:usage error, unreadable configuration or key"
    })
final class TestkeyCommand implements Callable<Integer> {
  private static final Set<PosixFilePermission> UNSAFE =
      Set.of(
          PosixFilePermission.GROUP_READ,
          PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_READ,
          PosixFilePermission.OTHERS_WRITE);

  @Spec CommandSpec spec;

  @Option(
      names = {"-d", "--domain"},
      paramLabel = "DOMAIN",
      description = "Signing domain (with -x: only this domain's keys).")
  String domain;

  @Option(
      names = {"-s", "--selector"},
      paramLabel = "SELECTOR",
      description = "Selector (with -x: only keys with this selector).")
  String selector;

  @Option(
      names = {"-k", "--key"},
      paramLabel = "KEYFILE",
      description = "Private key (PEM) to compare; without it only the record is checked.")
  Path keyFile;

  @Option(
      names = {"-x", "--config"},
      paramLabel = "CONFIG",
      description =
          "inkan.conf (opendkim.conf) whose KeyTable or Domain/Selector/KeyFile to test, and"
              + " whose Nameservers, DNSTimeout, TestPublicKeys and TrustAnchorFile to use.")
  Path configFile;

  @Option(
      names = "--nameserver",
      paramLabel = "IP[:PORT]",
      description = "DNS server to ask; repeatable (default: Nameservers, else resolv.conf).")
  List<String> nameservers = new ArrayList<>();

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "DNS timeout per key (default: DNSTimeout, else 10).")
  Integer timeoutSeconds;

  @Option(
      names = "--test-keys",
      paramLabel = "FILE",
      description = "Key records from FILE instead of DNS (NAME VALUE per line).")
  Path testKeys;

  @Option(
      names = "--trust-anchor",
      paramLabel = "FILE",
      description =
          "Validate the records with DNSSEC from the DS or DNSKEY records in FILE (as"
              + " TrustAnchorFile); -v then says whether each key is secure.")
  Path trustAnchor;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also print the record, its TTL and the key size under each line.")
  boolean verbose;

  @Override
  public Integer call() {
    Optional<Config> config;
    List<KeyTableRow> rows;
    KeyRecordLookup lookup;
    try {
      config = config();
      rows = rows(config);
      lookup = lookup(config);
    } catch (Unusable e) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("inkan testkey: " + e.getMessage());
      err.flush();
      return InkanMain.EXIT_USAGE;
    }
    PrintWriter out = spec.commandLine().getOut();
    PrivateKeyFiles files = new PrivateKeyFiles(false);
    int status = 0;
    for (KeyTableRow row : rows) {
      Optional<String> skip = row.senderDependent();
      if (skip.isPresent()) {
        out.println(row.domain() + "/" + row.selector() + ": skipped: " + skip.get());
        continue;
      }
      Optional<SigningKey> key = Optional.empty();
      if (!row.keySpec().isEmpty()) {
        try {
          key = Optional.of(row.key(files));
        } catch (KeyTableException e) {
          out.println(
              row.domain() + "/" + row.selector() + ": cannot read the key: " + e.getMessage());
          status = InkanMain.EXIT_USAGE;
          continue;
        }
        warnIfUnsafe(row);
      }
      KeyCheck check = new KeyCheck(row.domain(), row.selector(), key, row.algorithm());
      DnsKeyRecordLookup.Checked found = lookup(lookup, check.recordName());
      KeyCheckResult result = check.check(found.result());
      out.println(result.line());
      if (found.dnssec() == DnssecStatus.BOGUS) {
        // As opendkim-testkey: said even without -v.
        out.println("  DNSSEC: bogus (validation failed: " + found.bogusReason().orElse("?") + ")");
      } else if (verbose) {
        result.details().stream()
            .map(d -> dnssec(d, found.dnssec()))
            .forEach(d -> out.println("  " + d));
      }
      if (!result.ok() && status == 0) {
        status = 1;
      }
    }
    out.flush();
    return status;
  }

  private Optional<Config> config() {
    if (configFile == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ConfigLoader.load(configFile).config());
    } catch (ConfigException e) {
      throw new Unusable(e.getMessage());
    }
  }

  /** The keys to test: -d/-s/-k, or the configuration's, narrowed by -d and -s. */
  private List<KeyTableRow> rows(Optional<Config> config) {
    if (keyFile != null || config.isEmpty()) {
      if (domain == null || selector == null) {
        throw new ParameterException(
            spec.commandLine(), "give -d DOMAIN and -s SELECTOR (or -x CONFIG)");
      }
      String key = keyFile == null ? "" : keyFile.toAbsolutePath().toString();
      if (keyFile != null && !Files.isReadable(keyFile)) {
        throw new Unusable("-k " + keyFile + ": cannot read it");
      }
      return List.of(
          new KeyTableRow("-k", trimDot(domain), selector, key, Optional.empty(), "-k " + key));
    }
    ConfiguredKeys.Listing listing;
    try {
      listing = ConfiguredKeys.of(config.get());
    } catch (KeyTableException e) {
      throw new Unusable(e.getMessage());
    }
    listing.problems().forEach(p -> warn("skipping a malformed entry: " + p));
    List<KeyTableRow> rows =
        listing.rows().stream()
            .filter(r -> domain == null || r.domain().equalsIgnoreCase(trimDot(domain)))
            .filter(r -> selector == null || r.selector().equals(selector))
            .toList();
    if (rows.isEmpty()) {
      throw new Unusable(
          configFile
              + ": no key to test"
              + (domain == null && selector == null ? "" : " for the -d/-s given")
              + " (no KeyTable entry, and no Domain/Selector/KeyFile)");
    }
    return rows;
  }

  private KeyRecordLookup lookup(Optional<Config> config) {
    if (testKeys != null && !nameservers.isEmpty()) {
      throw new ParameterException(
          spec.commandLine(), "--test-keys and --nameserver exclude each other");
    }
    if (testKeys != null && trustAnchor != null) {
      throw new ParameterException(
          spec.commandLine(), "--test-keys and --trust-anchor exclude each other");
    }
    try {
      if (testKeys != null) {
        return TestKeysFile.load(testKeys);
      }
      Optional<TrustAnchors> anchors =
          trustAnchor == null ? Optional.empty() : Optional.of(TrustAnchors.load(trustAnchor));
      Duration timeout = Duration.ofSeconds(timeoutSeconds == null ? 10 : timeoutSeconds);
      if (nameservers.isEmpty() && config.isPresent()) {
        DnsSettings dns = config.get().dns();
        return KeyRecordLookups.withoutCaches(
            new DnsSettings(
                dns.nameservers(),
                timeoutSeconds == null ? dns.timeoutSeconds() : timeoutSeconds,
                dns.testPublicKeys(),
                dns.testDnsData(),
                false,
                dns.cache(),
                trustAnchor == null
                    ? dns.trustAnchorFile()
                    : Optional.of(new DnsSettings.Located<>(trustAnchor, "--trust-anchor", 0))));
      }
      if (nameservers.isEmpty()) {
        return DnsKeyRecordLookup.system(timeout, anchors);
      }
      List<InetSocketAddress> servers = new ArrayList<>();
      for (String ns : nameservers) {
        servers.add(HostPort.parse(ns, 53));
      }
      return DnsKeyRecordLookup.servers(servers, timeout, anchors);
    } catch (TestKeysFile.MalformedException e) {
      throw new Unusable("malformed test keys: " + e.getMessage());
    } catch (IOException e) {
      throw new Unusable(e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--nameserver: " + e.getMessage());
    }
  }

  private static DnsKeyRecordLookup.Checked lookup(KeyRecordLookup lookup, String name) {
    if (lookup instanceof DnsKeyRecordLookup dns) {
      return dns.lookupChecked(name).toCompletableFuture().join();
    }
    KeyLookupResult r = lookup.lookup(name).toCompletableFuture().join();
    return new DnsKeyRecordLookup.Checked(r, DnssecStatus.UNVALIDATED, Optional.empty());
  }

  /** KeyCheck's DNSSEC line, saying "insecure" when the record was validated as such. */
  private static String dnssec(String detail, DnssecStatus status) {
    return status == DnssecStatus.INSECURE && detail.startsWith("DNSSEC: not validated")
        ? "DNSSEC: insecure (key not secure)"
        : detail;
  }

  /** Warns, as opendkim-testkey does, when others may read or write the key file. */
  private void warnIfUnsafe(KeyTableRow row) {
    if (!row.isFile()) {
      return;
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(Path.of(row.keySpec()));
      if (perms.stream().anyMatch(UNSAFE::contains)) {
        warn(
            row.keySpec()
                + " can be read or written by group or others (RequireSafeKeys refuses it);"
                + " chmod 600 it");
      }
    } catch (IOException | UnsupportedOperationException e) {
      // the key was just read; a file system without POSIX modes has nothing to warn about
    }
  }

  private void warn(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("inkan testkey: warning: " + message);
    err.flush();
  }

  private static String trimDot(String name) {
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  /** A configuration, key or test-key file that cannot be used: reported without the usage. */
  private static final class Unusable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message, null, false, false);
    }
  }
}
