package io.inkan.keys;

import io.inkan.dataset.DataSetEntry;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.crypto.SigningKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One KeyTable entry (opendkim.conf(5), KeyTable: {@code DOMAIN:SELECTOR:KEY[:ALGORITHM]}), before
 * {@code %} is resolved for a sender.
 *
 * @param name the entry's key (the key name)
 * @param domain {@code d=}, or {@code %} for the sender's domain
 * @param selector {@code s=}
 * @param keySpec a file path (starting with {@code /}, {@code ./} or {@code ../}) or the key text
 * @param algorithm the optional algorithm field
 * @param where the data set and key name, for messages
 */
public record KeyTableRow(
    String name,
    String domain,
    String selector,
    String keySpec,
    Optional<DkimAlgorithm> algorithm,
    String where) {

  /**
   * Parses a KeyTable entry.
   *
   * @throws KeyTableException naming the entry when it is no {@code DOMAIN:SELECTOR:KEY[:ALG]}
   */
  public static KeyTableRow parse(DataSetEntry e) throws KeyTableException {
    String where = "KeyTable " + e.source() + ": " + e.key();
    List<String> v = e.values(3);
    if (v.size() < 3 || v.get(0).isBlank() || v.get(1).isBlank() || v.get(2).isBlank()) {
      throw new KeyTableException(where + ": expected DOMAIN:SELECTOR:KEY[:ALGORITHM]");
    }
    String keySpec = v.get(2);
    Optional<DkimAlgorithm> algorithm = Optional.empty();
    int colon = keySpec.lastIndexOf(':');
    if (colon >= 0) {
      Optional<DkimAlgorithm> a = DkimAlgorithm.parse(keySpec.substring(colon + 1));
      if (a.isPresent()) {
        algorithm = a;
        keySpec = keySpec.substring(0, colon);
      }
    }
    return new KeyTableRow(
        e.key(), v.get(0).trim(), v.get(1).trim(), keySpec.trim(), algorithm, where);
  }

  /** Whether the key is a file rather than inline text. */
  public boolean isFile() {
    return keySpec.startsWith("/") || keySpec.startsWith("./") || keySpec.startsWith("../");
  }

  /**
   * Why the entry depends on the sender's domain ({@code %} as domain or in the key path), which
   * the tools cannot fill in; empty when it does not.
   */
  public Optional<String> senderDependent() {
    if (domain.equals("%")) {
      return Optional.of("its domain is %, the sender's domain, which only a message names");
    }
    if (isFile() && keySpec.contains("%")) {
      return Optional.of("its key file " + keySpec + " has %, the sender's domain, in its path");
    }
    return Optional.empty();
  }

  /**
   * The private key, read from its file or parsed from the entry.
   *
   * @throws KeyTableException naming the entry and the file when it cannot be read or parsed
   */
  public SigningKey key(PrivateKeyFiles files) throws KeyTableException {
    if (!isFile()) {
      return PrivateKeyFiles.parseInline(keySpec, where);
    }
    try {
      return files.load(Path.of(keySpec));
    } catch (KeyTableException e) {
      throw new KeyTableException(where + ": " + e.getMessage(), e);
    }
  }
}
