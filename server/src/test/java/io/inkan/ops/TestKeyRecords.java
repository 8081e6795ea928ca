package io.inkan.ops;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

/**
 * A {@code TestPublicKeys} file (NAME VALUE per line) standing in for the DNS records an operator
 * publishes: {@code inkan genkey}'s {@code SELECTOR.txt} as it is, or a record made from a private
 * key held elsewhere (LDAP).
 */
final class TestKeyRecords {
  private final StringBuilder text = new StringBuilder();

  /** The record of a {@code SELECTOR.txt} written by {@code inkan genkey}, unchanged. */
  TestKeyRecords genkeyRecord(String domain, String selector, Path txt) throws IOException {
    text.append(selector)
        .append("._domainkey.")
        .append(domain)
        .append(' ')
        .append(Files.readString(txt, StandardCharsets.US_ASCII).strip())
        .append('\n');
    return this;
  }

  /** A record publishing the public half of {@code privateKey} (PEM or base64 DER). */
  TestKeyRecords fromPrivateKey(String domain, String selector, String privateKey)
      throws GeneralSecurityException {
    SigningKey key = PrivateKeyReader.read(privateKey);
    text.append(selector)
        .append("._domainkey.")
        .append(domain)
        .append(" v=DKIM1; k=")
        .append(key.type().tagValue())
        .append("; p=")
        .append(key.publicKeyBase64())
        .append('\n');
    return this;
  }

  Path write(Path file) throws IOException {
    return Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
  }
}
