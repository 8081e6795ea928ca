package io.inkan.cli;

import io.inkan.dkim.AuthenticationResults;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.dns.DnsKeyRecordLookup;
import io.inkan.dns.TestKeysFile;
import io.inkan.dns.TrustAnchors;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inkan verify}: checks every DKIM-Signature of the message on stdin (RFC 6376 §6). */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a message on stdin and prints one RFC 8601 result per DKIM-Signature.",
      "Exit status: 0 when at least one signature passes, 1 when none does,",
      "2 on a usage or I/O error."
    })
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--test-keys",
      paramLabel = "FILE",
      description = "Key records from FILE instead of DNS (NAME VALUE per line).")
  Path testKeys;

  @Option(
      names = "--nameserver",
      paramLabel = "IP[:PORT]",
      description = "DNS server to ask, e.g. 127.0.0.1:5353 or [::1]:53 (default: resolv.conf).")
  String nameserver;

  @Option(
      names = "--trust-anchor",
      paramLabel = "FILE",
      description =
          "Validate key records with DNSSEC from the DS or DNSKEY records in FILE (as"
              + " TrustAnchorFile).")
  Path trustAnchor;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "10",
      description = "DNS timeout (default: ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  @Option(
      names = "--min-key-bits",
      paramLabel = "N",
      defaultValue = "1024",
      description = "Shortest RSA key accepted (default: ${DEFAULT-VALUE}; RFC 8301).")
  int minKeyBits;

  @Option(names = "--accept-sha1", description = "Let rsa-sha1 signatures pass (RFC 8301 forbids).")
  boolean acceptSha1;

  @Option(
      names = "--max-signatures",
      paramLabel = "N",
      defaultValue = "5",
      description =
          "Signatures verified per message; the rest are neutral (default: ${DEFAULT-VALUE}).")
  int maxSignatures;

  @Option(names = "--json", description = "Print a JSON array instead of result lines.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    VerifierSettings settings;
    try {
      settings =
          VerifierSettings.defaults()
              .withMinKeyBits(minKeyBits)
              .withAcceptSha1(acceptSha1)
              .withMaxSignatures(maxSignatures);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    VerificationSession session = new DkimVerifier(settings, lookup()).newSession();
    try (InputStream in = System.in) {
      MessageFiles.feed(in, session);
    }
    List<VerificationResult> results = session.finish(Runnable::run).toCompletableFuture().join();
    print(results, System.out);
    return results.stream().anyMatch(VerificationResult::passed) ? 0 : 1;
  }

  private KeyRecordLookup lookup() throws IOException {
    if (testKeys != null && nameserver != null) {
      throw new ParameterException(
          spec.commandLine(), "--test-keys and --nameserver exclude each other");
    }
    if (testKeys != null && trustAnchor != null) {
      throw new ParameterException(
          spec.commandLine(), "--test-keys and --trust-anchor exclude each other");
    }
    if (testKeys != null) {
      try {
        return TestKeysFile.load(testKeys);
      } catch (TestKeysFile.MalformedException e) {
        throw new ParameterException(spec.commandLine(), "malformed test keys: " + e.getMessage());
      }
    }
    Duration timeout = Duration.ofSeconds(timeoutSeconds);
    Optional<TrustAnchors> anchors;
    try {
      anchors =
          trustAnchor == null ? Optional.empty() : Optional.of(TrustAnchors.load(trustAnchor));
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "--trust-anchor: " + e.getMessage());
    }
    if (nameserver == null) {
      return DnsKeyRecordLookup.system(timeout, anchors);
    }
    try {
      return DnsKeyRecordLookup.servers(List.of(HostPort.parse(nameserver, 53)), timeout, anchors);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--nameserver: " + e.getMessage());
    }
  }

  private void print(List<VerificationResult> results, PrintStream out) {
    if (json) {
      JsonArray array = new JsonArray();
      for (VerificationResult r : results) {
        array.add(
            new JsonObject()
                .put("result", r.result().keyword())
                .put("domain", r.domain())
                .put("identity", r.identity())
                .put("selector", r.selector())
                .put("algorithm", r.algorithm())
                .put("b", r.b())
                .put("reason", r.reason())
                .put("dnssecSecure", r.dnssecSecure()));
      }
      out.println(array.encode());
    } else if (results.isEmpty()) {
      out.println("dkim=none");
    } else {
      results.forEach(r -> out.println(AuthenticationResults.resultSpec(r, true)));
    }
    out.flush();
  }
}
