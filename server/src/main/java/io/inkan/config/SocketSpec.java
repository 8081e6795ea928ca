package io.inkan.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the milter listens, in OpenDKIM's {@code Socket} syntax: {@code inet:PORT[@HOST]}, {@code
 * inet6:PORT[@HOST]} (host optionally in square brackets; without a host, every interface), {@code
 * local:/path} or {@code unix:/path}, or a bare path (a unix socket).
 */
public sealed interface SocketSpec {

  /** A TCP socket; an empty host means every interface of the family. */
  /** The socket in opendkim.conf syntax, e.g. {@code inet:8891@127.0.0.1}, for messages. */
  default String text() {
    if (this instanceof Inet i) {
      return (i.ipv6() ? "inet6:" : "inet:") + i.port() + i.host().map(h -> "@" + h).orElse("");
    }
    return "local:" + ((Local) this).path();
  }

  record Inet(boolean ipv6, Optional<String> host, int port) implements SocketSpec {
    /** True for {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}, judged by text only. */
    public boolean isLoopback() {
      return host.map(
              h ->
                  h.equalsIgnoreCase("localhost")
                      || h.matches("127(\\.\\d{1,3}){3}")
                      || h.equals("::1")
                      || h.equalsIgnoreCase("0:0:0:0:0:0:0:1"))
          .orElse(false);
    }
  }

  /** A unix-domain socket. */
  record Local(Path path) implements SocketSpec {}

  String EXPECTED = "inet:PORT@HOST, inet:PORT, inet6:PORT@HOST, local:/path, unix:/path or a path";

  static SocketSpec parse(ConfigLine line) throws ConfigException {
    String v = line.value();
    int colon = v.indexOf(':');
    if (colon < 0) {
      return new Local(line.path());
    }
    String type = v.substring(0, colon).toLowerCase(Locale.ROOT);
    String rest = v.substring(colon + 1);
    switch (type) {
      case "local", "unix":
        if (rest.isEmpty()) {
          throw line.fail(EXPECTED);
        }
        return new Local(Path.of(rest));
      case "inet", "inet6":
        return inet(line, type.equals("inet6"), rest);
      default:
        throw line.fail(EXPECTED);
    }
  }

  private static Inet inet(ConfigLine line, boolean ipv6, String rest) throws ConfigException {
    int at = rest.indexOf('@');
    String port = at < 0 ? rest : rest.substring(0, at);
    if (!port.matches("[0-9]{1,5}")
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw line.fail(EXPECTED + " (PORT 1-65535)");
    }
    Optional<String> host = Optional.empty();
    if (at >= 0) {
      String h = rest.substring(at + 1);
      if (h.startsWith("[") && h.endsWith("]")) {
        h = h.substring(1, h.length() - 1);
      }
      if (h.isEmpty() || h.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '[' || c == ']')) {
        throw line.fail(EXPECTED + " (HOST a name or an address)");
      }
      host = Optional.of(h);
    }
    return new Inet(ipv6, host, Integer.parseInt(port));
  }
}
