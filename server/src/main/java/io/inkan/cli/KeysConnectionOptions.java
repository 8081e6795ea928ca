package io.inkan.cli;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import io.inkan.config.Config;
import io.inkan.config.ConfigException;
import io.inkan.config.ConfigLoader;
import io.inkan.config.DataSetRef;
import io.inkan.config.DataSetSettings;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import io.inkan.dataset.ldap.LdapAdminConnections;
import io.inkan.keys.admin.KeyAdminException;
import io.inkan.keys.admin.KeyDirectory;
import io.inkan.keys.admin.SecretFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * How {@code inkan keys} reaches the directory: an LDAP URL with the base DN, a simple bind whose
 * password comes from a file (never the command line), StartTLS and a CA file; or an inkan.conf's
 * {@code SigningDirectory} (the servers, in failover order, and the base), {@code LDAPBindUser},
 * {@code LDAPBindPassword}, {@code LDAPUseTLS}, {@code LDAPCACertificateFile} and {@code
 * LDAPTimeout}, which the options override.
 */
final class KeysConnectionOptions {
  @Option(
      names = "--ldap",
      paramLabel = "URL",
      description =
          "ldap: or ldaps: URL with the base DN the domains hang below, e.g."
              + " ldap://127.0.0.1:389/ou=dkim,dc=example,dc=com (default: the SigningDirectory"
              + " of -x).")
  String url;

  @Option(names = "--bind-dn", paramLabel = "DN", description = "DN to bind as (simple bind).")
  String bindDn;

  @Option(
      names = "--bind-password-file",
      paramLabel = "FILE",
      description = "File whose first line is the bind password; must not be group/world-readable.")
  Path passwordFile;

  @Option(names = "--starttls", description = "Upgrade ldap: connections with StartTLS.")
  boolean startTls;

  @Option(
      names = "--ca-file",
      paramLabel = "PEM",
      description = "Trust only these CA certificates for TLS (default: the JVM's trust store).")
  Path caFile;

  @Option(
      names = {"-x", "--config"},
      paramLabel = "FILE",
      description =
          "Take SigningDirectory (unless --ldap is given), LDAPBindUser, LDAPBindPassword,"
              + " LDAPUseTLS, LDAPCACertificateFile and LDAPTimeout from this inkan.conf (options"
              + " given here win).")
  Path configFile;

  /** A bound connection and the directory below the URL's base; the caller closes it. */
  Session open() throws KeysUsageException, KeyAdminException {
    Optional<Config> config = config();
    Optional<DataSetRef> directory = config.flatMap(c -> c.signing().signingDirectory());
    String urls;
    String source;
    if (url != null) {
      urls = url;
      source = "--ldap ";
    } else if (directory.isPresent()) {
      urls = directory.get().spec();
      source = directory.get().file() + ":" + directory.get().line() + ": SigningDirectory ";
    } else {
      throw new KeysUsageException(
          configFile == null
              ? "--ldap URL is needed (or -x FILE naming a SigningDirectory)"
              : configFile + " has no SigningDirectory; give --ldap URL");
    }
    String base;
    try {
      base = LdapAdminConnections.baseDn(urls);
    } catch (IllegalArgumentException e) {
      throw new KeysUsageException(source + e.getMessage());
    }
    LdapOptions options = options(config.map(Config::dataSets).orElse(DataSetSettings.DEFAULTS));
    try {
      LDAPConnection c = LdapAdminConnections.connect(urls, options);
      return new Session(c, new KeyDirectory(c, base));
    } catch (IllegalArgumentException e) {
      throw new KeysUsageException(e.getMessage());
    } catch (LDAPException e) {
      throw new KeyAdminException(
          "cannot connect and bind to " + urls + ": " + LdapAdminConnections.describe(e), e);
    } catch (GeneralSecurityException | IOException e) {
      throw new KeyAdminException("TLS setup failed: " + e.getMessage(), e);
    }
  }

  private Optional<Config> config() throws KeysUsageException {
    if (configFile == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(ConfigLoader.load(configFile).config());
    } catch (ConfigException e) {
      throw new KeysUsageException(e.getMessage());
    }
  }

  private LdapOptions options(DataSetSettings conf) throws KeysUsageException {
    Optional<String> user = Optional.ofNullable(bindDn).or(conf::ldapBindUser);
    Optional<String> password = conf.ldapBindPassword();
    if (passwordFile != null) {
      if (user.isEmpty()) {
        throw new KeysUsageException("--bind-password-file needs --bind-dn (or LDAPBindUser)");
      }
      try {
        password = Optional.of(SecretFiles.readPassword(passwordFile));
      } catch (KeyAdminException e) {
        throw new KeysUsageException("--bind-password-file " + e.getMessage());
      }
    }
    if (user.isPresent() && password.isEmpty()) {
      throw new KeysUsageException(
          "binding as " + user.get() + " needs --bind-password-file (or LDAPBindPassword)");
    }
    return new LdapOptions(
        user,
        password,
        startTls || conf.ldapUseTls(),
        Optional.ofNullable(caFile).or(conf::ldapCaFile),
        configFile == null
            ? LdapOptions.DEFAULTS.timeout()
            : Duration.ofSeconds(conf.ldapTimeoutSeconds()),
        0,
        0,
        0,
        true);
  }

  /** An open connection with the key directory on it. */
  record Session(LDAPConnection connection, KeyDirectory directory) implements AutoCloseable {
    @Override
    public void close() {
      connection.close();
    }
  }
}
