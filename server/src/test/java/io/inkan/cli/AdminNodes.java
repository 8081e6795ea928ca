package io.inkan.cli;

import io.inkan.dkim.crypto.PrivateKeyReader;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Configurations for tests of the admin endpoint. */
final class AdminNodes {
  private AdminNodes() {}

  /**
   * A signing node for example.com (selector sel, its record in a TestPublicKeys file) on a unix
   * socket in {@code dir}, with the admin endpoint on a free loopback port and {@code extra} lines.
   */
  static Path signingNode(Path dir, String extra) throws Exception {
    Path key = dir.resolve("sel.private");
    try (InputStream in = AdminNodes.class.getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    String p = PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
    Path keys =
        Files.writeString(dir.resolve("dns"), "sel._domainkey.example.com v=DKIM1; p=" + p + "\n");
    return Files.writeString(
        dir.resolve("inkan.conf"),
        "Mode sv\nSocket local:"
            + dir.resolve("inkan.sock")
            + "\nDomain example.com\nSelector sel\nKeyFile "
            + key
            + "\nTestPublicKeys "
            + keys
            + "\nAdminListen 127.0.0.1:0\n"
            + extra);
  }
}
