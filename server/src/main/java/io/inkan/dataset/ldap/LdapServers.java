package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * The servers of one data set as an UnboundID {@link ServerSet}: the URLs in the order written, the
 * first reachable one serving (OpenLDAP's {@code ldap_initialize()} with a URL list, which OpenDKIM
 * uses, tries them in order too). {@code ldaps:} servers speak TLS from the start, {@code ldap:}
 * servers upgrade with StartTLS when {@code LDAPUseTLS} is on. TLS trusts the JVM's trust store or
 * only the PEM certificates of {@code caFile}, and checks the server's name against the URL's host.
 */
final class LdapServers {
  /** How long a connection to a later server lives before the pool tries the first one again. */
  static final Duration FAILOVER_CONNECTION_AGE = Duration.ofMinutes(1);

  /** OpenDKIM's {@code DKIMF_LDAP_DEFTIMEOUT}, used when the configured timeout is not positive. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private LdapServers() {}

  /** The effective connect and operation time limit. */
  static Duration timeout(LdapOptions options) {
    Duration t = options.timeout();
    return t.isZero() || t.isNegative() ? DEFAULT_TIMEOUT : t;
  }

  /**
   * Builds the server set.
   *
   * @throws GeneralSecurityException, IOException when TLS is needed and the CA file is unusable
   */
  static ServerSet create(List<LdapUrl> urls, LdapOptions options)
      throws GeneralSecurityException, IOException {
    LDAPConnectionOptions connection = new LDAPConnectionOptions();
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout(options).toMillis());
    connection.setConnectTimeoutMillis(millis);
    connection.setResponseTimeoutMillis(millis);
    connection.setUseKeepAlive(true);
    connection.setAbandonOnTimeout(true);
    connection.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    KeepaliveSockets keepalive = new KeepaliveSockets(options);
    SocketFactory plain = keepalive.plain(SocketFactory.getDefault());
    boolean tls = options.startTls() || urls.stream().anyMatch(u -> u.scheme().equals("ldaps"));
    SSLSocketFactory ssl =
        tls ? keepalive.tls(tlsContext(options.caFile()).getSocketFactory()) : null;
    List<ServerSet> sets = new ArrayList<>(urls.size());
    for (LdapUrl url : urls) {
      if (url.scheme().equals("ldaps")) {
        sets.add(new SingleServerSet(url.host(), url.port(), ssl, connection));
      } else if (options.startTls()) {
        sets.add(
            new SingleServerSet(
                url.host(),
                url.port(),
                plain,
                connection,
                null,
                new StartTLSPostConnectProcessor(ssl)));
      } else {
        sets.add(new SingleServerSet(url.host(), url.port(), plain, connection));
      }
    }
    if (sets.size() == 1) {
      return sets.get(0);
    }
    FailoverServerSet failover = new FailoverServerSet(sets);
    failover.setMaxFailoverConnectionAgeMillis(FAILOVER_CONNECTION_AGE.toMillis());
    return failover;
  }

  /** A TLS context trusting the JVM's CAs, or only those of {@code caFile} (PEM). */
  static SSLContext tlsContext(Optional<Path> caFile) throws GeneralSecurityException, IOException {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    if (caFile.isPresent()) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      Collection<? extends Certificate> certs;
      try (InputStream in = Files.newInputStream(caFile.get())) {
        certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      }
      if (certs.isEmpty()) {
        throw new GeneralSecurityException("no PEM certificate in " + caFile.get());
      }
      int i = 0;
      for (Certificate cert : certs) {
        store.setCertificateEntry("ca" + i++, cert);
      }
      trust.init(store);
    } else {
      trust.init((KeyStore) null);
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
