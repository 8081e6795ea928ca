package io.inkan.cli;

import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.SignResult;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code inkan sign}: adds a DKIM-Signature to the message on stdin (RFC 6376 §5). */
@Command(
    name = "sign",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a message on stdin and writes it to stdout with a DKIM-Signature on top.",
      "Line ends (LF or CRLF) are kept as they came in.",
      "Exit status: 0 signed, 1 refused (reason on stderr), 2 usage or I/O error."
    })
final class SignCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "-d",
      required = true,
      paramLabel = "DOMAIN",
      description = "Signing domain (d=).")
  String domain;

  @Option(names = "-s", required = true, paramLabel = "SELECTOR", description = "Selector (s=).")
  String selector;

  @Option(
      names = "-k",
      required = true,
      paramLabel = "KEYFILE",
      description = "Private key: PKCS#1 or PKCS#8 PEM, base64 DER, or a base64 Ed25519 seed.")
  Path keyFile;

  @Option(
      names = "-a",
      paramLabel = "ALGORITHM",
      description = "rsa-sha256 or ed25519-sha256 (default: the key's type).")
  String algorithm;

  @Option(
      names = "-c",
      paramLabel = "HEADER/BODY",
      defaultValue = "relaxed/relaxed",
      description = "Canonicalization (default: ${DEFAULT-VALUE}).")
  String canonicalization;

  @Option(
      names = "--headers",
      split = ",",
      paramLabel = "NAME",
      description = "Header fields to sign (default: RFC 6376 §5.4.1's list and MIME fields).")
  List<String> headers;

  @Option(
      names = "--oversign",
      split = ",",
      paramLabel = "NAME",
      defaultValue = "From",
      description =
          "Header fields to list once more than present, so none can be added"
              + " (default: ${DEFAULT-VALUE}; --oversign= for none).")
  List<String> oversign;

  @Option(names = "-i", paramLabel = "IDENTITY", description = "Agent or user identifier (i=).")
  String identity;

  @Option(names = "-z", description = "Add copies of the signed header fields (z=).")
  boolean copyHeaders;

  @Option(names = "-l", description = "Add the body length (l=).")
  boolean bodyLength;

  @Option(
      names = "-x",
      paramLabel = "SECONDS",
      description = "Signature lifetime: x= is t= plus this.")
  Long ttl;

  @Override
  public Integer call() throws IOException {
    SignerSettings settings = settings(readKey());
    Path spool = Files.createTempFile("inkan-sign", ".eml");
    try {
      LineEnding ending;
      try (InputStream in = System.in;
          OutputStream out = Files.newOutputStream(spool)) {
        ending = LineEnding.copyDetecting(in, out);
      }
      DkimSigner signer = new DkimSigner(settings);
      SigningSession session = signer.newSession(System.currentTimeMillis() / 1000);
      MessageFiles.feed(spool, session);
      SignResult result = signer.finish(session);
      if (result instanceof SignResult.Refused refused) {
        System.err.println("inkan sign: not signed: " + refused.reason());
        return 1;
      }
      String field = ((SignResult.Signed) result).field().raw();
      OutputStream out = System.out;
      out.write(ending.apply(field + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
      Files.copy(spool, out);
      out.flush();
      return 0;
    } finally {
      Files.deleteIfExists(spool);
    }
  }

  private SigningKey readKey() {
    try {
      return PrivateKeyReader.read(Files.readString(keyFile, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new ParameterException(spec.commandLine(), "cannot read key " + keyFile + ": " + e);
    } catch (GeneralSecurityException e) {
      throw new ParameterException(
          spec.commandLine(), "key " + keyFile + " is not usable: " + e.getMessage());
    }
  }

  private SignerSettings settings(SigningKey key) {
    try {
      SignerSettings s = SignerSettings.of(domain, selector, key);
      if (algorithm != null) {
        DkimAlgorithm a =
            DkimAlgorithm.parse(algorithm)
                .filter(x -> x != DkimAlgorithm.RSA_SHA1)
                .orElseThrow(
                    () ->
                        new IllegalArgumentException(
                            "-a must be rsa-sha256 or ed25519-sha256, not " + algorithm));
        s = s.withAlgorithm(a);
      }
      s =
          s.withCanonicalization(
              Canonicalization.Pair.parse(canonicalization)
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "-c must be simple or relaxed, optionally /simple or /relaxed: "
                                  + canonicalization)));
      return s.withHeaders(headers == null ? s.signedHeaders() : headers, oversign)
          .withIdentity(Optional.ofNullable(identity))
          .withOptions(
              copyHeaders, bodyLength, ttl == null ? OptionalLong.empty() : OptionalLong.of(ttl));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
