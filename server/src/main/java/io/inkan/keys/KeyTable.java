package io.inkan.keys;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.crypto.SigningKey;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * OpenDKIM's KeyTable (opendkim.conf(5), KeyTable): key name → {@code DOMAIN:SELECTOR:KEY}, plus
 * Inkan's optional {@code :ALGORITHM} ({@code rsa-sha256} or {@code ed25519-sha256}). {@code %} as
 * DOMAIN, or inside a KEY path, stands for the sender's domain. KEY is a file when it starts with
 * {@code /}, {@code ./} or {@code ../}, else the key itself (PEM or base64). Local tables are
 * validated and their keys loaded when the table is loaded.
 */
public final class KeyTable {
  /** Parsed inline keys kept per table (keys from SQL or LDAP arrive as text on each lookup). */
  private static final int MAX_INLINE_KEYS = 10_000;

  private final DataSet data;
  private final PrivateKeyFiles files;
  private final Map<String, SigningKey> inline = new ConcurrentHashMap<>();

  private KeyTable(DataSet data, PrivateKeyFiles files) {
    this.data = data;
    this.files = files;
  }

  /** The data set behind the table. */
  public DataSet data() {
    return data;
  }

  /**
   * Loads a table; every entry of a local data set is checked and its key read now.
   *
   * @throws KeyTableException naming the data set file and line of the first bad entry
   */
  public static KeyTable load(DataSet data, PrivateKeyFiles files) throws KeyTableException {
    KeyTable table = new KeyTable(data, files);
    for (DataSetEntry e : data.localEntries().orElse(List.of())) {
      KeyTableRow entry = parse(e);
      if (!entry.keySpec().contains("%") || !entry.isFile()) {
        table.key(entry, "example.invalid");
      }
    }
    return table;
  }

  /** Whether a key name is in the table (for SigningTable validation). */
  public boolean contains(String keyName) {
    return data.contains(keyName);
  }

  /**
   * The entry for {@code keyName}, resolved for a sender in {@code senderDomain}.
   *
   * @throws KeyTableException when the entry is malformed or its key cannot be read now (an
   *     internal error for the message: the configured action applies, by default tempfail)
   */
  public Optional<ResolvedKey> resolve(String keyName, String senderDomain)
      throws KeyTableException {
    Optional<DataSetEntry> found = data.lookup(keyName);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    KeyTableRow entry = parse(found.get());
    SigningKey key = key(entry, senderDomain);
    String domain = entry.domain().equals("%") ? senderDomain : entry.domain();
    DkimAlgorithm algorithm = entry.algorithm().orElse(key.defaultAlgorithm());
    if (algorithm.keyType() != key.type()) {
      throw new KeyTableException(
          entry.where()
              + ": algorithm "
              + algorithm.tagValue()
              + " does not fit a "
              + key.type()
              + " key");
    }
    return Optional.of(new ResolvedKey(entry.name(), domain, entry.selector(), key, algorithm));
  }

  private SigningKey key(KeyTableRow entry, String senderDomain) throws KeyTableException {
    if (!entry.isFile()) {
      SigningKey cached = inline.get(entry.keySpec());
      if (cached != null) {
        return cached;
      }
      SigningKey parsed = PrivateKeyFiles.parseInline(entry.keySpec(), entry.where());
      if (inline.size() >= MAX_INLINE_KEYS) {
        inline.clear();
      }
      inline.put(entry.keySpec(), parsed);
      return parsed;
    }
    try {
      return files.load(Path.of(entry.keySpec().replace("%", senderDomain)));
    } catch (KeyTableException e) {
      throw new KeyTableException(entry.where() + ": " + e.getMessage(), e);
    }
  }

  private static KeyTableRow parse(DataSetEntry e) throws KeyTableException {
    KeyTableRow row = KeyTableRow.parse(e);
    if (row.algorithm().orElse(null) == DkimAlgorithm.RSA_SHA1) {
      throw new KeyTableException(
          row.where() + ": rsa-sha1 must not be used for signing (RFC 8301)");
    }
    return row;
  }
}
