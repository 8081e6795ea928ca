package io.inkan.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parses {@code IP}, {@code IP:PORT}, {@code IPv6} and {@code [IPv6]:PORT} (numeric only). */
final class HostPort {
  private HostPort() {}

  static InetSocketAddress parse(String text, int defaultPort) {
    String host = text;
    int port = defaultPort;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("missing ] in " + text);
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("expected :PORT after ] in " + text);
        }
        port = port(rest.substring(1));
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = port(text.substring(text.indexOf(':') + 1));
    }
    if (host.isEmpty() || !host.matches("[0-9A-Fa-f.:]+")) {
      throw new IllegalArgumentException("not a numeric IP address: " + host);
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + host);
    }
  }

  private static int port(String p) {
    try {
      int v = Integer.parseInt(p);
      if (v < 1 || v > 65535) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port " + p);
    }
  }
}
