package io.inkan.keys.admin;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A key entry as listed: everything but the key itself.
 *
 * @param dn the entry's DN
 * @param domain {@code DKIMDomain}, or the domain its DN names
 * @param selector {@code DKIMSelector}
 * @param algorithm {@code inkanDkimAlgorithm}; empty means rsa-sha256 (an OpenDKIM entry)
 * @param active {@code inkanDkimActive}; empty means active (the configuration's default)
 * @param notBefore {@code inkanDkimNotBefore}
 * @param notAfter {@code inkanDkimNotAfter}
 */
public record KeyEntry(
    String dn,
    String domain,
    String selector,
    Optional<String> algorithm,
    Optional<Boolean> active,
    Optional<Instant> notBefore,
    Optional<Instant> notAfter) {

  public KeyEntry {
    Objects.requireNonNull(dn, "dn");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }

  /** Whether the flag lets the key sign (absent counts as yes). */
  public boolean enabled() {
    return active.orElse(true);
  }

  /** Whether Inkan signs with this key at {@code now}: enabled and inside its window. */
  public boolean signsAt(Instant now) {
    return enabled()
        && notBefore.map(t -> !now.isBefore(t)).orElse(true)
        && notAfter.map(now::isBefore).orElse(true);
  }

  /** The key type its algorithm names; RSA when absent or unknown. */
  public KeyType keyType() {
    return algorithm.flatMap(DkimAlgorithm::parse).map(DkimAlgorithm::keyType).orElse(KeyType.RSA);
  }

  /**
   * One line of {@code inkan keys list}, tab-separated: domain, selector, algorithm, active or
   * inactive, not-before, not-after (ISO-8601 UTC, {@code -} when unset), DN.
   */
  public String listLine() {
    return String.join(
        "\t",
        domain,
        selector,
        algorithm.orElse("-"),
        enabled() ? "active" : "inactive",
        notBefore.map(Instant::toString).orElse("-"),
        notAfter.map(Instant::toString).orElse("-"),
        dn);
  }
}
