package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import io.inkan.dataset.Source;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What every LDAP client of Inkan shares (the {@code ldap:} data sets and the native key source): a
 * space-separated list of URLs whose servers form a failover set ({@link LdapServers}), the bind of
 * {@code LDAPBindUser}/{@code LDAPBindPassword}, pooled connections and single long-lived ones.
 */
public final class LdapConnections {
  private final ServerSet set;
  private final BindRequest bind;
  private final String servers;
  private final int timeoutMillis;

  private LdapConnections(ServerSet set, BindRequest bind, String servers, int timeoutMillis) {
    this.set = set;
    this.bind = bind;
    this.servers = servers;
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * The servers of {@code urls} with the options' TLS, timeouts, keepalive and bind.
   *
   * @throws DataSetException when the bind DN is not a DN, the password is missing or the CA file
   *     is unusable
   */
  public static LdapConnections create(
      String spec, Source declaredAt, List<LdapUrl> urls, LdapOptions ldap)
      throws DataSetException {
    BindRequest bind = bind(spec, declaredAt, ldap);
    ServerSet set;
    try {
      set = LdapServers.create(urls, ldap);
    } catch (GeneralSecurityException | IOException e) {
      throw new DataSetException(declaredAt, null, spec, "TLS setup failed: " + e.getMessage());
    }
    String servers = urls.stream().map(LdapUrl::server).collect(Collectors.joining(" "));
    int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, LdapServers.timeout(ldap).toMillis());
    return new LdapConnections(set, bind, servers, timeoutMillis);
  }

  /**
   * Parses space-separated URLs ({@code ldapi:} refused: Java cannot open unix sockets).
   *
   * @throws DataSetException naming what does not parse
   */
  public static List<LdapUrl> parseUrls(String spec, Source at) throws DataSetException {
    List<LdapUrl> urls = new ArrayList<>();
    for (String text : spec.trim().split("[ \t]+")) {
      if (text.isEmpty()) {
        continue;
      }
      try {
        urls.add(LdapUrl.parse(text));
      } catch (IllegalArgumentException e) {
        throw new DataSetException(at, null, spec, e.getMessage());
      }
    }
    if (urls.isEmpty()) {
      throw new DataSetException(at, null, spec, "no LDAP URL");
    }
    for (LdapUrl url : urls) {
      if (url.scheme().equals("ldapi")) {
        throw new DataSetException(
            at,
            null,
            spec,
            "ldapi: (LDAP over a unix socket) is not supported: Java's LDAP client cannot open"
                + " unix sockets; let slapd listen on ldap://127.0.0.1/ as well (slapd -h"
                + " \"ldapi:/// ldap://127.0.0.1/\") and use ldap://127.0.0.1/...");
      }
    }
    return urls;
  }

  private static BindRequest bind(String spec, Source at, LdapOptions ldap)
      throws DataSetException {
    if (ldap.bindUser().isEmpty()) {
      return null;
    }
    String user = ldap.bindUser().get();
    if (!DN.isValidDN(user)) {
      throw new DataSetException(at, null, spec, "LDAPBindUser \"" + user + "\" is not a DN");
    }
    if (ldap.bindPassword().isEmpty()) {
      throw new DataSetException(at, null, spec, "LDAPBindUser is set but LDAPBindPassword is not");
    }
    return new SimpleBindRequest(user, ldap.bindPassword().get());
  }

  /**
   * A pool of up to {@code max} bound connections that fails over in URL order, retries an
   * operation once on a fresh connection when its connection broke, and waits at most the timeout
   * for a free connection.
   *
   * @param connectNow open (and bind) one connection now, failing when no server answers
   */
  public LDAPConnectionPool pool(String name, int max, boolean connectNow) throws LDAPException {
    LDAPConnectionPool pool = new LDAPConnectionPool(set, bind, 1, max, 1, null, connectNow);
    pool.setConnectionPoolName(name);
    pool.setRetryFailedOperationsDueToInvalidConnections(true);
    pool.setCreateIfNecessary(true);
    pool.setMaxWaitTimeMillis(timeoutMillis);
    return pool;
  }

  /** One new bound connection to the first server that answers; the caller closes it. */
  public LDAPConnection connect() throws LDAPException {
    LDAPConnection c = set.getConnection();
    try {
      if (bind != null) {
        c.bind(bind.duplicate());
      }
      return c;
    } catch (LDAPException e) {
      c.close();
      throw e;
    }
  }

  /** {@code scheme://host:port} of every server, space-separated, for messages. */
  public String servers() {
    return servers;
  }

  /** The connect and operation time limit ({@code LDAPTimeout}). */
  public int timeoutMillis() {
    return timeoutMillis;
  }

  /** A result code and the server's or client's reason; never a bind password. */
  public static String describe(LDAPException e) {
    ResultCode rc = e.getResultCode();
    String reason = e.getDiagnosticMessage() != null ? e.getDiagnosticMessage() : e.getMessage();
    return rc.getName() + " (" + rc.intValue() + ")" + (reason == null ? "" : ": " + reason);
  }

  /**
   * OpenLDAP's {@code LDAP_NAME_ERROR()}: result codes 0x20..0x2f (noSuchObject, invalidDNSyntax,
   * ...), which name an entry that is not there rather than a directory that cannot answer.
   */
  public static boolean nameError(ResultCode rc) {
    return (rc.intValue() & 0xf0) == 0x20;
  }
}
