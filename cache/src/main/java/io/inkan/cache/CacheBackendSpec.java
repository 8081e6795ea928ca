package io.inkan.cache;

import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the shared query cache lives, as written in the configuration: {@code
 * bdb:/var/lib/inkan/cache} or {@code memcache:host1:11211,host2:11211} (the port defaults to
 * 11211; an IPv6 address goes in brackets, {@code [2001:db8::1]:11211}).
 */
public sealed interface CacheBackendSpec {

  /** A local Berkeley DB JE directory. */
  record Bdb(Path directory) implements CacheBackendSpec {}

  /** A memcached cluster, in the order given. */
  record Memcache(List<HostPort> servers) implements CacheBackendSpec {
    public Memcache {
      servers = List.copyOf(servers);
    }

    /** The servers as resolved socket addresses (a name that does not resolve stays unresolved). */
    public List<InetSocketAddress> addresses() {
      return servers.stream().map(s -> new InetSocketAddress(s.host(), s.port())).toList();
    }
  }

  /** One memcached server; {@code host} is a name or an address, IPv6 without brackets. */
  record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** The default memcached port. */
  int MEMCACHED_PORT = 11211;

  /**
   * Parses a backend spec.
   *
   * @throws IllegalArgumentException naming what is wrong and the expected form
   */
  static CacheBackendSpec parse(String spec) {
    String s = spec == null ? "" : spec.strip();
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "query cache backend '" + s + "' is not of the form bdb:/path or memcache:host:port,...");
    }
    String scheme = s.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = s.substring(colon + 1).strip();
    switch (scheme) {
      case "bdb":
        return parseBdb(rest);
      case "memcache":
        return parseMemcache(rest);
      default:
        throw new IllegalArgumentException(
            "unknown query cache backend '" + scheme + "'; expected bdb: or memcache:");
    }
  }

  private static Bdb parseBdb(String rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException("bdb: needs a directory, e.g. bdb:/var/lib/inkan/cache");
    }
    Path dir;
    try {
      dir = Path.of(rest);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("bdb: '" + rest + "' is not a valid path", e);
    }
    if (!dir.isAbsolute()) {
      throw new IllegalArgumentException("bdb: directory '" + rest + "' must be an absolute path");
    }
    return new Bdb(dir.normalize());
  }

  private static Memcache parseMemcache(String rest) {
    if (rest.isEmpty()) {
      throw new IllegalArgumentException(
          "memcache: needs at least one server, e.g. memcache:host1:11211,host2:11211");
    }
    List<HostPort> servers = new ArrayList<>();
    for (String item : rest.split(",", -1)) {
      HostPort server = parseServer(item.strip());
      if (servers.contains(server)) {
        throw new IllegalArgumentException("memcache: server " + server + " is listed twice");
      }
      servers.add(server);
    }
    return new Memcache(servers);
  }

  private static HostPort parseServer(String item) {
    if (item.isEmpty()) {
      throw new IllegalArgumentException("memcache: empty server in the list");
    }
    String host;
    String port = null;
    if (item.startsWith("[")) {
      int close = item.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("memcache: '" + item + "' lacks the closing ']'");
      }
      host = item.substring(1, close);
      String after = item.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException(
              "memcache: '" + item + "' must be [address] or [address]:port");
        }
        port = after.substring(1);
      }
      if (host.indexOf(':') < 0) {
        throw new IllegalArgumentException(
            "memcache: brackets are for IPv6 addresses, got '" + item + "'");
      }
    } else {
      int first = item.indexOf(':');
      if (first >= 0 && item.indexOf(':', first + 1) >= 0) {
        throw new IllegalArgumentException(
            "memcache: '" + item + "' looks like an IPv6 address; write it as [address]:port");
      }
      host = first < 0 ? item : item.substring(0, first);
      port = first < 0 ? null : item.substring(first + 1);
    }
    checkHost(host, item);
    return new HostPort(host, port == null ? MEMCACHED_PORT : parsePort(port, item));
  }

  private static void checkHost(String host, String item) {
    if (host.isEmpty()) {
      throw new IllegalArgumentException("memcache: '" + item + "' has no host");
    }
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '%';
      if (!ok) {
        throw new IllegalArgumentException(
            "memcache: host '" + host + "' in '" + item + "' has an invalid character '" + c + "'");
      }
    }
  }

  private static int parsePort(String port, String item) {
    int value;
    try {
      value = Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "memcache: port '" + port + "' in '" + item + "' is not a number", e);
    }
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException(
          "memcache: port " + value + " in '" + item + "' is outside 1-65535");
    }
    return value;
  }
}
