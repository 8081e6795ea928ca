package io.inkan.cli;

import io.inkan.config.Config;
import io.inkan.config.ConfigException;
import io.inkan.config.ConfigLoader;
import io.inkan.config.DataSetSettings;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.Source;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.DkimTxtRecord;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.KeyTableRow;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.keys.tools.ConfiguredKeys;
import io.inkan.keys.tools.PublishedKey;
import io.inkan.keys.tools.ZoneLines;
import io.inkan.keys.tools.ZoneLines.Naming;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inkan genzone}: opendkim-genzone's zone lines for every key of a KeyTable, from any data
 * set that can be walked, in the record layout of {@code inkan genkey}'s {@code SELECTOR.txt}.
 */
@Command(
    name = "genzone",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    sortOptions = false,
    description = {
      "Print a DNS TXT record (RFC 6376 §3.6.1) for every key of a KeyTable: DATASET, -k, or"
          + " the KeyTable (else Domain/Selector/KeyFile) of the -x configuration. Any data set"
          + " type that can be listed works: file:, refile:, csl:, db:, dsn: and ldap: (whose"
          + " filter has (attribute=$d) or whose base starts with attribute=$d).",
      "Owner names are as opendkim-genzone writes them: SELECTOR (zone _domainkey.DOMAIN),"
          + " with -D SELECTOR._domainkey, with -F SELECTOR._domainkey.DOMAIN. Entries whose key"
          + " cannot be read are skipped with a warning; so are entries whose domain or key path"
          + " holds %% (the sender's domain).",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every entry was written",
      "1:written, but some entries were skipped because of errors",
      "2:usage error, or the KeyTable or output file cannot be used"
    })
final class GenzoneCommand implements Callable<Integer> {
  private static final DateTimeFormatter SERIAL = DateTimeFormatter.ofPattern("yyyyMMddHH");

  @Spec CommandSpec spec;

  @Parameters(
      arity = "0..1",
      paramLabel = "DATASET",
      description = "The KeyTable data set, e.g. file:/etc/inkan/keytable or dsn:... or ldap://...")
  String dataSet;

  @Option(
      names = {"-k", "--key-table"},
      paramLabel = "DATASET",
      description = "The KeyTable data set (instead of the DATASET argument).")
  String keyTableOption;

  @Option(
      names = {"-x", "--config"},
      paramLabel = "CONFIG",
      description =
          "inkan.conf (opendkim.conf): its KeyTable when no DATASET is given, and its LDAP*"
              + " settings for ldap: data sets.")
  Path configFile;

  @Option(
      names = {"-d", "--domain"},
      paramLabel = "DOMAIN",
      description = "Only keys of this domain.")
  String domain;

  @Option(names = "-s", description = "With -d, also keys of its subdomains.")
  boolean subdomains;

  @Option(names = "-D", description = "Owner names SELECTOR._domainkey.")
  boolean domainKeySuffix;

  @Option(names = "-F", description = "Owner names SELECTOR._domainkey.DOMAIN. (absolute).")
  boolean fullNames;

  @Option(names = "-M", description = "Restrict the keys to email: s=email.")
  boolean emailOnly;

  @Option(
      names = "--hashes",
      paramLabel = "HASHES",
      description = "h= hashes, separated by colons (default: ${DEFAULT-VALUE}; '' omits h=).")
  String hashes = "sha256";

  @Option(
      names = {"-t", "--ttl"},
      paramLabel = "TTL",
      description = "TTL in seconds on every record (default: none; 86400 with -u).")
  Long ttl;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Option(names = "-S", description = "Begin with an SOA record (-C, -E, -r, -R, -T, -N).")
  boolean soa;

  @Option(
      names = "-C",
      paramLabel = "CONTACT",
      description = "SOA contact, user@host or user.host (default: the current user at this host).")
  String contact;

  @Option(
      names = "-N",
      paramLabel = "NS",
      split = ",",
      description = "Name servers: NS records, the first also the SOA's primary (-u: the server).")
  List<String> nameservers = new ArrayList<>();

  @Option(names = "-E", paramLabel = "SECS", description = "SOA expire (default: 604800).")
  long expire = ZoneLines.Soa.EXPIRE;

  @Option(names = "-r", paramLabel = "SECS", description = "SOA refresh (default: 10800).")
  long refresh = ZoneLines.Soa.REFRESH;

  @Option(names = "-R", paramLabel = "SECS", description = "SOA retry (default: 1800).")
  long retry = ZoneLines.Soa.RETRY;

  @Option(names = "-T", paramLabel = "SECS", description = "SOA minimum TTL (default: 86400).")
  long minimum = ZoneLines.Soa.MINIMUM;

  @Option(names = "-u", description = "Write nsupdate(1) input instead of zone lines.")
  boolean nsupdate;

  @Option(
      names = {"-v", "--verbose"},
      description = "Report on standard error what was written.")
  boolean verbose;

  private int skippedForErrors;

  @Override
  public Integer call() {
    if (!hashes.isEmpty() && !DkimTxtRecord.isHashList(hashes)) {
      throw usage("--hashes " + hashes + ": expected hash names separated by colons");
    }
    if (ttl != null && ttl < 0) {
      throw usage("-t " + ttl + ": a TTL is 0 or more seconds");
    }
    ConfiguredKeys.Listing listing;
    try {
      listing = listing();
    } catch (Unusable e) {
      return fail(e.getMessage());
    }
    listing.problems().forEach(p -> skipped("malformed entry: " + p));
    List<PublishedKey> keys = publishedKeys(listing.rows());
    String text = nsupdate ? nsupdateText(keys) : zoneText(keys);
    try {
      if (output == null) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
      } else {
        Files.writeString(output, text, StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      return fail("cannot write " + output + ": " + e.getMessage());
    }
    verbose(keys.size() + " record" + (keys.size() == 1 ? "" : "s") + " written");
    return skippedForErrors > 0 ? 1 : 0;
  }

  private ConfiguredKeys.Listing listing() {
    if (dataSet != null && keyTableOption != null) {
      throw usage("give the KeyTable as DATASET or with -k, not both");
    }
    Optional<Config> config = Optional.empty();
    if (configFile != null) {
      try {
        config = Optional.of(ConfigLoader.load(configFile).config());
      } catch (ConfigException e) {
        throw new Unusable(e.getMessage());
      }
    }
    String table = dataSet != null ? dataSet : keyTableOption;
    try {
      if (table != null) {
        DataSetOptions options =
            ConfiguredKeys.options(config.map(Config::dataSets).orElse(DataSetSettings.DEFAULTS));
        return ConfiguredKeys.keyTable(table, new Source("the command line", 0), options);
      }
      if (config.isEmpty()) {
        throw usage("give a KeyTable data set (DATASET or -k) or a configuration (-x)");
      }
      return ConfiguredKeys.of(config.get());
    } catch (KeyTableException e) {
      throw new Unusable(e.getMessage());
    }
  }

  /** The records of the rows that pass -d and whose keys can be read, in table order. */
  private List<PublishedKey> publishedKeys(List<KeyTableRow> rows) {
    PrivateKeyFiles files = new PrivateKeyFiles(false);
    List<PublishedKey> keys = new ArrayList<>();
    for (KeyTableRow row : rows) {
      String d =
          row.domain().endsWith(".")
              ? row.domain().substring(0, row.domain().length() - 1)
              : row.domain();
      Optional<String> senderDependent = row.senderDependent();
      if (senderDependent.isPresent()) {
        warn(row.where() + ": skipped: " + senderDependent.get() + "; publish it per domain");
        continue;
      }
      if (!wanted(d)) {
        continue;
      }
      SigningKey key;
      try {
        key = row.key(files);
      } catch (KeyTableException e) {
        skipped(e.getMessage());
        continue;
      }
      DkimTxtRecord record =
          new DkimTxtRecord(
              key.type(),
              key.publicKeyBase64(),
              hashes.isEmpty() ? Optional.empty() : Optional.of(hashes),
              Optional.empty(),
              false,
              false,
              emailOnly);
      keys.add(new PublishedKey(d, row.selector(), record));
      verbose("key " + row.name() + ": " + row.selector() + "._domainkey." + d);
    }
    return keys;
  }

  private boolean wanted(String d) {
    if (domain == null) {
      return true;
    }
    String want = domain.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
    String have = d.toLowerCase(Locale.ROOT);
    return have.equals(want) || (subdomains && have.endsWith("." + want));
  }

  private String zoneText(List<PublishedKey> keys) {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
    StringBuilder sb =
        new StringBuilder(ZoneLines.header(Optional.ofNullable(domain), now.toString()));
    Optional<ZoneLines.Soa> soaRecord = Optional.empty();
    if (soa) {
      String primary = nameservers.isEmpty() ? hostName() : nameservers.get(0);
      soaRecord =
          Optional.of(
              new ZoneLines.Soa(
                  primary,
                  contact(),
                  Long.parseLong(now.format(SERIAL)),
                  refresh,
                  retry,
                  expire,
                  minimum));
    }
    sb.append(ZoneLines.soaAndNs(soaRecord, nameservers));
    Naming naming =
        fullNames ? Naming.ABSOLUTE : domainKeySuffix ? Naming.DOMAINKEY : Naming.SELECTOR;
    OptionalLong t = ttl == null ? OptionalLong.empty() : OptionalLong.of(ttl);
    for (PublishedKey k : keys) {
      sb.append(ZoneLines.entry(k, naming, t));
    }
    return sb.toString();
  }

  private String nsupdateText(List<PublishedKey> keys) {
    Optional<String> server =
        nameservers.isEmpty() ? Optional.empty() : Optional.of(nameservers.get(0));
    return ZoneLines.nsupdate(keys, ttl == null ? 86400 : ttl, server);
  }

  /** The SOA RNAME: {@code user@host} becomes {@code user.host}. */
  private String contact() {
    if (contact != null) {
      return contact.replace('@', '.');
    }
    String user = System.getProperty("user.name");
    return user == null || user.isBlank() ? "hostmaster" : user + "." + hostName();
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      return "localhost";
    }
  }

  private void skipped(String message) {
    skippedForErrors++;
    warn("skipped " + message);
  }

  private void warn(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("inkan genzone: " + message);
    err.flush();
  }

  private void verbose(String message) {
    if (verbose) {
      warn(message);
    }
  }

  private int fail(String message) {
    warn(message);
    return InkanMain.EXIT_USAGE;
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** A KeyTable, configuration or data set that cannot be used: reported without the usage. */
  private static final class Unusable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unusable(String message) {
      super(message, null, false, false);
    }
  }
}
