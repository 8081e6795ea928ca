package io.inkan.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Inkan's admin HTTP endpoint (metrics, health, status, dashboard), off unless {@code AdminListen}
 * is set:
 *
 * <ul>
 *   <li>{@code AdminListen HOST:PORT} ({@code 127.0.0.1:8025}, {@code [::1]:8025}); port 0 takes
 *       any free port;
 *   <li>{@code AdminTokenFile} a file holding the bearer token every request except {@code
 *       /health/live} must carry; required when {@code AdminListen} is not a loopback address;
 *   <li>{@code AdminTlsCertificate} and {@code AdminTlsKey}: PEM certificate chain and private key,
 *       both or neither; with them the endpoint speaks HTTPS only.
 * </ul>
 */
public record AdminSettings(
    Optional<Listen> listen,
    Optional<Path> tokenFile,
    Optional<Path> tlsCertificate,
    Optional<Path> tlsKey) {
  public static final AdminSettings OFF =
      new AdminSettings(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  static final String EXPECTED = "HOST:PORT, e.g. 127.0.0.1:8025 or [::1]:8025 (PORT 0-65535)";

  /** Where to listen, with the line that said so for later messages. */
  public record Listen(String host, int port, String file, int line) {
    /** True for {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}, judged by text only. */
    public boolean isLoopback() {
      return new SocketSpec.Inet(host.contains(":"), Optional.of(host), 1).isLoopback();
    }

    /** {@code host:port}, brackets around an IPv6 address. */
    public String text() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  static Listen listen(ConfigLine l) throws ConfigException {
    String v = l.value();
    int colon = v.lastIndexOf(':');
    if (colon < 1 || !v.substring(colon + 1).matches("[0-9]{1,5}")) {
      throw l.fail(EXPECTED);
    }
    String host = v.substring(0, colon);
    int port = Integer.parseInt(v.substring(colon + 1));
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw l.fail(EXPECTED + " (an IPv6 address in brackets)");
    }
    if (port > 65535
        || host.isEmpty()
        || host.chars().anyMatch(c -> c <= ' ' || c == '[' || c == ']' || c == '/')) {
      throw l.fail(EXPECTED);
    }
    return new Listen(host, port, l.file(), l.line());
  }

  AdminSettings withListen(Listen l) {
    return new AdminSettings(Optional.of(l), tokenFile, tlsCertificate, tlsKey);
  }

  AdminSettings withTokenFile(Path p) {
    return new AdminSettings(listen, Optional.of(p), tlsCertificate, tlsKey);
  }

  AdminSettings withTlsCertificate(Path p) {
    return new AdminSettings(listen, tokenFile, Optional.of(p), tlsKey);
  }

  AdminSettings withTlsKey(Path p) {
    return new AdminSettings(listen, tokenFile, tlsCertificate, Optional.of(p));
  }

  /**
   * The rules across keys, checked when the daemon starts: a non-loopback {@code AdminListen} needs
   * {@code AdminTokenFile} (the status page names data sets and hosts), and TLS needs both files.
   *
   * @throws ConfigException naming the {@code AdminListen} line
   */
  public void check() throws ConfigException {
    if (listen.isEmpty()) {
      return;
    }
    Listen l = listen.get();
    if (!l.isLoopback() && tokenFile.isEmpty()) {
      throw new ConfigException(
          l.file(),
          l.line(),
          "AdminListen",
          "a loopback address, or set AdminTokenFile so that only token holders get in",
          l.text());
    }
    if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
      throw new ConfigException(
          l.file(),
          l.line(),
          "AdminListen",
          "AdminTlsCertificate and AdminTlsKey together (HTTPS), or neither",
          l.text() + " with only " + (tlsKey.isEmpty() ? "AdminTlsCertificate" : "AdminTlsKey"));
    }
  }
}
