package io.inkan.keys.health;

import io.inkan.config.Config;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.KeyTableRow;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.keys.tools.ConfiguredKeys;
import io.inkan.keys.tools.KeyCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a configuration's key-health check watches: every KeyTable entry (or {@code
 * Domain}/{@code Selector}/{@code KeyFile} key) with its private key, read now, while the daemon
 * may still be root. Entries whose domain or key path is {@code %} and SigningDirectory keys
 * (looked up per sender domain, never walked) are not watched.
 */
public final class KeyHealthTargets {
  private static final Logger LOG = LoggerFactory.getLogger(KeyHealthTargets.class);

  /** The most keys one daemon watches; the metrics carry one series per key. */
  public static final int MAX_KEYS = 1000;

  private KeyHealthTargets() {}

  /**
   * The checks for a configuration's keys, one per domain and selector, at most {@link #MAX_KEYS};
   * what cannot be listed or read is logged and left out, never an error.
   */
  public static List<KeyCheck> of(Config config) {
    ConfiguredKeys.Listing listing;
    try {
      listing = ConfiguredKeys.of(config);
    } catch (KeyTableException | RuntimeException e) {
      LOG.warn("key health: cannot list the configured keys, none is checked: {}", e.getMessage());
      return List.of();
    }
    listing.problems().forEach(p -> LOG.warn("key health: {}", p));
    return of(listing.rows(), new PrivateKeyFiles(false));
  }

  /** The checks for these rows, their keys read through {@code files}. */
  static List<KeyCheck> of(List<KeyTableRow> rows, PrivateKeyFiles files) {
    Map<String, KeyCheck> checks = new LinkedHashMap<>();
    for (KeyTableRow row : rows) {
      Optional<String> why = row.senderDependent();
      if (why.isPresent()) {
        LOG.info("key health: {} is not checked: {}", row.where(), why.get());
        continue;
      }
      String domain = row.domain().toLowerCase(Locale.ROOT);
      String selector = row.selector();
      String id = selector + "._domainkey." + domain;
      if (checks.containsKey(id)) {
        continue;
      }
      if (checks.size() == MAX_KEYS) {
        LOG.warn(
            "key health: more than {} keys; only the first {} are checked", MAX_KEYS, MAX_KEYS);
        break;
      }
      try {
        checks.put(
            id, new KeyCheck(domain, selector, Optional.of(row.key(files)), row.algorithm()));
      } catch (KeyTableException | RuntimeException e) {
        LOG.warn("key health: not checked: {}", e.getMessage());
      }
    }
    return new ArrayList<>(checks.values());
  }
}
