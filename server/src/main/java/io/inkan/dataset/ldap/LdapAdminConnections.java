package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * One bound connection for administration tools ({@code inkan keys}), made from an {@code ldap:} or
 * {@code ldaps:} URL (or several separated by spaces, tried in order as {@code SigningDirectory}
 * lists them) with the same TLS ({@code LDAPUseTLS}, CA file, host name check) and simple bind
 * settings as the data sets.
 */
public final class LdapAdminConnections {
  private LdapAdminConnections() {}

  /**
   * The base DN of an {@code ldap:} or {@code ldaps:} URL.
   *
   * @throws IllegalArgumentException when the URL does not parse, is {@code ldapi:}, or its base is
   *     empty or no DN
   */
  public static String baseDn(String url) {
    String base = null;
    for (LdapUrl parsed : parse(url)) {
      if (parsed.base().isEmpty() || !DN.isValidDN(parsed.base())) {
        throw new IllegalArgumentException(
            "\"" + url + "\": the URL needs a base DN, e.g. ldap://HOST/ou=dkim,dc=example,dc=com");
      }
      if (base != null && !sameDn(base, parsed.base())) {
        throw new IllegalArgumentException(
            "\""
                + url
                + "\": the URLs name different base DNs ("
                + base
                + ", "
                + parsed.base()
                + ")");
      }
      base = parsed.base();
    }
    return base;
  }

  private static boolean sameDn(String a, String b) {
    try {
      return new DN(a).equals(new DN(b));
    } catch (LDAPException e) {
      return false;
    }
  }

  /**
   * Connects to the URL's server, or the first of several that answers (StartTLS first when {@code
   * options.startTls()}) and binds as {@code options.bindUser()} (anonymously when empty). The
   * caller closes the connection.
   *
   * @throws IllegalArgumentException when the URL does not parse or the bind DN is no DN
   * @throws GeneralSecurityException when TLS is needed and the CA file is unusable
   * @throws IOException when the CA file cannot be read
   * @throws LDAPException when the server cannot be reached or refuses the bind
   */
  public static LDAPConnection connect(String url, LdapOptions options)
      throws GeneralSecurityException, IOException, LDAPException {
    LDAPConnection connection = LdapServers.create(parse(url), options).getConnection();
    try {
      if (options.bindUser().isPresent()) {
        String user = options.bindUser().get();
        if (!DN.isValidDN(user)) {
          throw new IllegalArgumentException("bind DN \"" + user + "\" is not a DN");
        }
        connection.bind(new SimpleBindRequest(user, options.bindPassword().orElse("")));
      }
      return connection;
    } catch (LDAPException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** A result code and the server's or client's reason; never a bind password. */
  public static String describe(LDAPException e) {
    return LdapDataSet.describe(e);
  }

  private static List<LdapUrl> parse(String urls) {
    List<LdapUrl> out = new ArrayList<>();
    for (String url : urls.strip().split("[ \t]+")) {
      LdapUrl parsed = LdapUrl.parse(url);
      if (parsed.scheme().equals("ldapi")) {
        throw new IllegalArgumentException(
            "\"" + url + "\": ldapi: is not supported (Java cannot open unix sockets); use ldap:");
      }
      out.add(parsed);
    }
    return out;
  }
}
