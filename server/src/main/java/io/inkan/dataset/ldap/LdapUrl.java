package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.SearchScope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One LDAP URL of a data set specification (RFC 4516 §2): {@code
 * scheme://host[:port]/base?attributes?scope?filter?extensions}. The base and filter are kept as
 * templates, percent-decoded but with {@code $d} and {@code $D} still in them.
 *
 * @param scheme {@code ldap}, {@code ldaps} or {@code ldapi}, lower case
 * @param host the host name or address (without IPv6 brackets); {@code 127.0.0.1} when absent, the
 *     decoded socket path for {@code ldapi}
 * @param port the port; 389 or 636 when absent
 * @param base the search base template (RFC 4516: empty when absent)
 * @param attributes the attributes whose values make the entry's value, in order
 * @param scope base when absent (RFC 4516 §2)
 * @param filter the filter template, {@code (objectClass=*)} when absent (RFC 4516 §2)
 */
public record LdapUrl(
    String scheme,
    String host,
    int port,
    String base,
    List<String> attributes,
    SearchScope scope,
    String filter) {

  public LdapUrl {
    attributes = List.copyOf(attributes);
  }

  /** {@code scheme://host:port}, the server part alone. */
  public String server() {
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return scheme + "://" + h + ":" + port;
  }

  /**
   * Parses one URL.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static LdapUrl parse(String url) {
    int sep = url.indexOf("://");
    if (sep <= 0) {
      throw new IllegalArgumentException("\"" + url + "\" is not an LDAP URL (scheme://...)");
    }
    String scheme = url.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!scheme.equals("ldap") && !scheme.equals("ldaps") && !scheme.equals("ldapi")) {
      throw new IllegalArgumentException(
          "\"" + url + "\": scheme must be ldap, ldaps or ldapi, not \"" + scheme + "\"");
    }
    String rest = url.substring(sep + 3);
    int slash = rest.indexOf('/');
    if (slash < 0 && rest.indexOf('?') >= 0) {
      throw new IllegalArgumentException("\"" + url + "\": '?' before the '/' that ends the host");
    }
    String hostPort = slash < 0 ? rest : rest.substring(0, slash);
    String path = slash < 0 ? "" : rest.substring(slash + 1);
    String[] parts = path.split("\\?", -1);
    if (parts.length > 5) {
      throw new IllegalArgumentException(
          "\"" + url + "\": more than four '?' (base?attributes?scope?filter?extensions)");
    }
    String host;
    int port;
    if (scheme.equals("ldapi")) {
      host = decode(hostPort, url);
      port = 0;
    } else {
      int[] portOut = new int[1];
      host = host(hostPort, url, portOut);
      port = portOut[0] != 0 ? portOut[0] : scheme.equals("ldaps") ? 636 : 389;
    }
    String base = decode(part(parts, 0), url);
    List<String> attributes = new ArrayList<>();
    for (String a : part(parts, 1).split(",", -1)) {
      String name = decode(a, url).trim();
      if (!name.isEmpty()) {
        attributes.add(name);
      }
    }
    SearchScope scope = scope(decode(part(parts, 2), url).trim(), url);
    String filter = decode(part(parts, 3), url).trim();
    if (filter.isEmpty()) {
      filter = "(objectClass=*)";
    } else if (!filter.startsWith("(")) {
      filter = "(" + filter + ")";
    }
    for (String ext : part(parts, 4).split(",", -1)) {
      String e = decode(ext, url).trim();
      if (e.startsWith("!")) {
        throw new IllegalArgumentException(
            "\"" + url + "\": critical extension \"" + e.substring(1) + "\" is not supported");
      }
    }
    return new LdapUrl(scheme, host, port, base, attributes, scope, filter);
  }

  private static String part(String[] parts, int i) {
    return i < parts.length ? parts[i] : "";
  }

  private static String host(String hostPort, String url, int[] portOut) {
    String host;
    String port = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("\"" + url + "\": unclosed '[' in the host");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("\"" + url + "\": junk after ']' in the host");
        }
        port = after.substring(1);
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      port = colon < 0 ? null : hostPort.substring(colon + 1);
    }
    host = decode(host, url);
    if (host.isEmpty()) {
      host = "127.0.0.1";
    }
    if (port != null && !port.isEmpty()) {
      try {
        portOut[0] = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        portOut[0] = -1;
      }
      if (portOut[0] < 1 || portOut[0] > 65535) {
        throw new IllegalArgumentException(
            "\"" + url + "\": port must be 1..65535, not \"" + port + "\"");
      }
    }
    return host;
  }

  /** The scopes OpenLDAP's URL parser knows (RFC 4516 names and its aliases). */
  private static SearchScope scope(String s, String url) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "":
      case "base":
        return SearchScope.BASE;
      case "one":
      case "onelevel":
        return SearchScope.ONE;
      case "sub":
      case "subtree":
        return SearchScope.SUB;
      case "children":
      case "subord":
      case "subordinate":
        return SearchScope.SUBORDINATE_SUBTREE;
      default:
        throw new IllegalArgumentException(
            "\"" + url + "\": scope must be base, one or sub, not \"" + s + "\"");
    }
  }

  /** Percent-decodes (RFC 3986 §2.1) into UTF-8 text. */
  static String decode(String s, String url) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw new IllegalArgumentException("\"" + url + "\": '%' not followed by two hex digits");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < s.length()) {
          b = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        out.write(b, 0, b.length);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
