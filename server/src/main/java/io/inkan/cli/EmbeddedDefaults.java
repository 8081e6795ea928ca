package io.inkan.cli;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.DkimKeyGenerator;
import io.inkan.keys.DkimTxtRecord;
import io.inkan.keys.KeyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * {@code inkan serve --domain D}: a working signer with no configuration file. The key lives in the
 * state directory, made on first start (RSA-2048) and never overwritten; the configuration it
 * amounts to is written next to it, so an operator can see it and grow it.
 */
final class EmbeddedDefaults {
  static final String SOCKET = "inet:8891@127.0.0.1";

  private EmbeddedDefaults() {}

  /** The default state directory: /var/lib/inkan for root, else under the user's home. */
  static Path defaultStateDir() {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/inkan");
    }
    String xdg = System.getenv("XDG_STATE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".local", "state");
    return base.resolve("inkan");
  }

  /**
   * Makes the key if needed, writes the configuration file and returns its path.
   *
   * @param out where the DNS record to publish is printed
   */
  static Path prepare(String domain, String selector, Path stateDir, java.io.PrintStream out)
      throws IOException, GeneralSecurityException {
    Path keys = Files.createDirectories(stateDir.resolve("keys"));
    Path privateKey = keys.resolve(domain + "." + selector + ".private");
    SigningKey key;
    if (Files.exists(privateKey)) {
      key = PrivateKeyReader.read(Files.readString(privateKey, StandardCharsets.US_ASCII));
    } else {
      DkimKeyGenerator.Generated made = DkimKeyGenerator.generate(KeyType.RSA, 2048);
      KeyFiles.createPrivate(privateKey, made.privateKeyPem());
      key = made.key();
      out.println("inkan: made a new RSA-2048 key " + privateKey);
    }
    DkimTxtRecord record =
        new DkimTxtRecord(
            key.type(),
            key.publicKeyBase64(),
            Optional.of("sha256"),
            Optional.empty(),
            false,
            false,
            false);
    out.println("inkan: publish this TXT record in the DNS zone of " + domain + ":");
    out.print(record.zoneFileEntry(selector, domain, true));
    out.flush();
    Path config = stateDir.resolve("embedded.conf");
    String text =
        "# Written by inkan serve --domain "
            + domain
            + " at every start; copy it to grow it.\n"
            + "Mode sv\n"
            + "Socket "
            + SOCKET
            + "\n"
            + "Domain "
            + domain
            + "\n"
            + "Selector "
            + selector
            + "\n"
            + "KeyFile "
            + privateKey.toAbsolutePath()
            + "\n"
            + "Canonicalization relaxed/simple\n";
    Files.writeString(config, text, StandardCharsets.UTF_8);
    return config;
  }
}
