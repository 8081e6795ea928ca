package io.inkan.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Settings of remote data sets (opendkim.conf(5)): {@code LDAPBindUser}, {@code LDAPBindPassword},
 * {@code LDAPUseTLS}, {@code LDAPTimeout}, {@code LDAPKeepaliveIdle}, {@code
 * LDAPKeepaliveInterval}, {@code LDAPKeepaliveProbes}, {@code LDAPDisableCache}, {@code SoftStart};
 * and Inkan's {@code LDAPCACertificateFile}, {@code DataSetCacheTTL} and {@code
 * DataSetNegativeCacheTTL} (seconds an SQL, LDAP or JE answer, or a miss, is reused).
 */
public record DataSetSettings(
    Optional<String> ldapBindUser,
    Optional<String> ldapBindPassword,
    boolean ldapUseTls,
    Optional<Path> ldapCaFile,
    int ldapTimeoutSeconds,
    int ldapKeepaliveIdle,
    int ldapKeepaliveInterval,
    int ldapKeepaliveProbes,
    boolean ldapDisableCache,
    boolean softStart,
    int cacheTtlSeconds,
    int negativeCacheTtlSeconds,
    int cacheMaxEntries) {
  public static final DataSetSettings DEFAULTS =
      new DataSetSettings(
          Optional.empty(),
          Optional.empty(),
          false,
          Optional.empty(),
          5,
          0,
          0,
          0,
          false,
          false,
          300,
          60,
          200_000);

  /** Never prints the bind password. */
  @Override
  public String toString() {
    return "DataSetSettings[ldapBindUser="
        + ldapBindUser.orElse("(anonymous)")
        + ", ldapUseTls="
        + ldapUseTls
        + ", ldapTimeoutSeconds="
        + ldapTimeoutSeconds
        + ", softStart="
        + softStart
        + "]";
  }
}
