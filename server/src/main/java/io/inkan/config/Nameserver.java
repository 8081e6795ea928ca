package io.inkan.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code Nameservers} entry: an IP address literal with an optional port ({@code IP}, {@code
 * IPv4:PORT}, {@code IPv6}, {@code [IPv6]} or {@code [IPv6]:PORT}); no names, no DNS look-ups.
 */
public record Nameserver(String address, int port) {

  private static final String EXPECTED =
      "a comma-separated list of IP, IPv4:PORT or [IPv6]:PORT (e.g. 127.0.0.1, [::1]:53)";

  static List<Nameserver> parseList(ConfigLine line) throws ConfigException {
    List<Nameserver> out = new ArrayList<>();
    for (String raw : line.value().split(",", -1)) {
      Nameserver ns = parse(raw.strip());
      if (ns == null) {
        throw line.fail(EXPECTED);
      }
      out.add(ns);
    }
    return List.copyOf(out);
  }

  private static Nameserver parse(String s) {
    String host = s;
    String port = null;
    if (s.startsWith("[")) {
      int close = s.indexOf(']');
      if (close < 0) {
        return null;
      }
      host = s.substring(1, close);
      String tail = s.substring(close + 1);
      if (!tail.isEmpty()) {
        if (!tail.startsWith(":")) {
          return null;
        }
        port = tail.substring(1);
      }
      if (!isIpv6(host)) {
        return null;
      }
    } else if (s.indexOf(':') != s.lastIndexOf(':')) {
      if (!isIpv6(host)) {
        return null;
      }
    } else {
      int colon = s.indexOf(':');
      if (colon >= 0) {
        host = s.substring(0, colon);
        port = s.substring(colon + 1);
      }
      if (!isIpv4(host)) {
        return null;
      }
    }
    int p = 53;
    if (port != null) {
      if (!port.matches("[0-9]{1,5}")
          || Integer.parseInt(port) < 1
          || Integer.parseInt(port) > 65535) {
        return null;
      }
      p = Integer.parseInt(port);
    }
    return new Nameserver(host, p);
  }

  static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (!part.matches("[0-9]{1,3}") || Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  static boolean isIpv6(String s) {
    if (!s.matches("[0-9A-Fa-f:.]+") || s.indexOf("::") != s.lastIndexOf("::")) {
      return false;
    }
    String[] groups = s.split(":", -1);
    int count = 0;
    for (int i = 0; i < groups.length; i++) {
      String g = groups[i];
      if (g.contains(".")) {
        if (i != groups.length - 1 || !isIpv4(g)) {
          return false;
        }
        count += 2;
      } else if (g.length() > 4) {
        return false;
      } else if (!g.isEmpty()) {
        count++;
      }
    }
    boolean compressed = s.contains("::");
    return compressed ? count < 8 : count == 8 && !s.startsWith(":") && !s.endsWith(":");
  }
}
