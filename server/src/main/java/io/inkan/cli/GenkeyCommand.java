package io.inkan.cli;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.keys.AdspPolicy;
import io.inkan.keys.DkimKeyGenerator;
import io.inkan.keys.DkimTxtRecord;
import io.inkan.keys.KeyFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code inkan genkey}: opendkim-genkey's flags and output files, with Ed25519 keys (RFC 8463) as
 * an option and no overwriting of existing files.
 */
@Command(
    name = "genkey",
    sortOptions = false,
    versionProvider = InkanMain.Version.class,
    description = {
      "Generate a DKIM key pair the way opendkim-genkey does: SELECTOR.private, the private key"
          + " (mode 0600), and SELECTOR.txt, its key record (RFC 6376 §3.6.1) as a zone-file"
          + " stub.",
      "Unlike opendkim-genkey it never overwrites: if either file exists it writes nothing and"
          + " exits with status 2.",
      ""
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:the key pair was written", "2:usage error, existing file or I/O error"})
final class GenkeyCommand implements Callable<Integer> {
  /**
   * An RFC 5321 sub-domain; selectors and domains are such labels joined by dots (RFC 6376 §3.1).
   */
  private static final String LABEL = "[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?";

  private static final Pattern DNS_NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

  @Spec CommandSpec spec;

  @Option(
      names = {"-b", "--bits"},
      paramLabel = "BITS",
      description = "RSA key size (default: ${DEFAULT-VALUE}; at least 1024, RFC 8301).")
  int bits = 2048;

  @Option(
      names = {"-d", "--domain"},
      paramLabel = "DOMAIN",
      description = "Signing domain, for the comment and -a (default: ${DEFAULT-VALUE}).")
  String domain = "example.com";

  @Option(
      names = {"-D", "--directory"},
      paramLabel = "DIR",
      description = "Directory to write the files in (default: the current one).")
  Path directory = Path.of("");

  @Option(
      names = {"-s", "--selector"},
      paramLabel = "SELECTOR",
      description = "Selector, also the file names (default: ${DEFAULT-VALUE}).")
  String selector = "default";

  @Option(
      names = {"-r", "--restrict"},
      description = "Restrict the key to email: s=email.")
  boolean emailOnly;

  @Option(
      names = {"-S", "--nosubdomains"},
      description = "Forbid i= in a subdomain of d=: t=s.")
  boolean noSubdomains;

  @Option(
      names = {"-t", "--testmode"},
      description = "Mark the domain as testing DKIM: t=y (t=y:s with -S).")
  boolean testing;

  @Option(
      names = {"-h", "--hash-algorithms"},
      paramLabel = "HASHES",
      description = "h= hashes, separated by colons (default: ${DEFAULT-VALUE}; '' omits h=).")
  String hashes = "sha256";

  @Option(
      names = {"-n", "--note"},
      paramLabel = "NOTE",
      description = "n= note for administrators.")
  String note;

  @Option(
      names = {"-a", "--append-domain"},
      description = "Name the record SELECTOR._domainkey.DOMAIN. rather than relative to the zone.")
  boolean appendDomain;

  @Option(
      names = "--ed25519",
      description = "Make an Ed25519 key (k=ed25519, RFC 8463) instead of RSA; -b is ignored.")
  boolean ed25519;

  @Option(
      names = "--adsp",
      arity = "0..1",
      fallbackValue = "unknown",
      paramLabel = "POLICY",
      description =
          "Also write an ADSP record (RFC 5617, now historic) with POLICY unknown (the"
              + " default), all or discardable.")
  String adsp;

  @Option(
      names = {"-v", "--verbose"},
      description = "Report on standard error what was written.")
  boolean[] verbose = new boolean[0];

  @Option(names = "--help", usageHelp = true, description = "Show this help and exit.")
  boolean help;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print the version and exit.")
  boolean version;

  @Override
  public Integer call() {
    String domainName = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
    Optional<AdspPolicy> adspPolicy = adsp == null ? Optional.empty() : AdspPolicy.parse(adsp);
    KeyType type = ed25519 ? KeyType.ED25519 : KeyType.RSA;
    Path privateFile = directory.resolve(selector + ".private");
    Path txtFile = directory.resolve(selector + ".txt");
    Optional<String> problem = problem(type, domainName, adspPolicy, privateFile, txtFile);
    if (problem.isPresent()) {
      return fail(problem.get());
    }

    verbose("generating " + (ed25519 ? "an Ed25519" : "a " + bits + "-bit RSA") + " key");
    DkimKeyGenerator.Generated generated;
    try {
      generated = DkimKeyGenerator.generate(type, bits);
    } catch (GeneralSecurityException e) {
      return fail("cannot generate the key: " + e.getMessage());
    }
    DkimTxtRecord record =
        new DkimTxtRecord(
            type,
            generated.key().publicKeyBase64(),
            hashes.isEmpty() ? Optional.empty() : Optional.of(hashes),
            Optional.ofNullable(note),
            testing,
            noSubdomains,
            emailOnly);
    String txt =
        record.zoneFileEntry(selector, domainName, appendDomain)
            + adspPolicy.map(p -> p.zoneFileEntry(domainName, appendDomain)).orElse("");

    try {
      KeyFiles.createPrivate(privateFile, generated.privateKeyPem());
    } catch (FileAlreadyExistsException e) {
      return fail(privateFile + " already exists; not overwriting it");
    } catch (IOException e) {
      return fail("cannot write " + privateFile + ": " + e);
    }
    verbose("private key written to " + privateFile);
    try {
      KeyFiles.createPublic(txtFile, txt);
    } catch (IOException e) {
      KeyFiles.deleteQuietly(privateFile);
      return fail("cannot write " + txtFile + " (" + e + "); removed " + privateFile + " again");
    }
    verbose("DNS TXT record written to " + txtFile);
    return 0;
  }

  /** What is wrong with the arguments, checked before spending time on a key. */
  private Optional<String> problem(
      KeyType type, String domainName, Optional<AdspPolicy> adspPolicy, Path... files) {
    if (type == KeyType.RSA
        && (bits < DkimKeyGenerator.MIN_RSA_BITS || bits > DkimKeyGenerator.MAX_RSA_BITS)) {
      return Optional.of(
          String.format(
              "-b %d: RSA keys must have %d to %d bits (RFC 8301 §3.2 forbids fewer than 1024)",
              bits, DkimKeyGenerator.MIN_RSA_BITS, DkimKeyGenerator.MAX_RSA_BITS));
    }
    if (!DNS_NAME.matcher(selector).matches()) {
      return Optional.of("-s " + selector + ": a selector is DNS labels of letters, digits, '-'");
    }
    if (!DNS_NAME.matcher(domainName).matches() || domainName.length() > 253) {
      return Optional.of("-d " + domain + ": not a domain name (write IDNs in their xn-- form)");
    }
    if (!hashes.isEmpty() && !DkimTxtRecord.isHashList(hashes)) {
      return Optional.of("-h " + hashes + ": expected hash names separated by colons, e.g. sha256");
    }
    if (adsp != null && adspPolicy.isEmpty()) {
      return Optional.of("--adsp=" + adsp + ": expected unknown, all or discardable");
    }
    if (!Files.isDirectory(directory)) {
      return Optional.of("-D " + directory + ": no such directory");
    }
    for (Path file : files) {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.of(file + " already exists; not overwriting it (move it away or use -s)");
      }
    }
    return Optional.empty();
  }

  private void verbose(String message) {
    if (verbose.length > 0) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("inkan genkey: " + message);
      err.flush();
    }
  }

  private int fail(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("inkan genkey: " + message);
    err.flush();
    return InkanMain.EXIT_USAGE;
  }
}
