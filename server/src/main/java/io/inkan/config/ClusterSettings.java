package io.inkan.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Inkan's cluster keys; without {@code ClusterRole} the daemon is one process with every role.
 *
 * <ul>
 *   <li>{@code ClusterRole frontend}, {@code signer} or {@code frontend,signer};
 *   <li>{@code ClusterName} the membership's name (default {@code inkan});
 *   <li>{@code ClusterListen HOST:PORT} this member's address (port 5701 by default);
 *   <li>{@code ClusterMembers HOST:PORT,...} the static member list to join (no multicast);
 *   <li>{@code ClusterEventBus HOST:PORT} where the event bus listens (default: ClusterListen's
 *       host, any free port);
 *   <li>{@code ClusterCertificate}, {@code ClusterKey}, {@code ClusterCAFile}: PEM files for the
 *       event bus's mutual TLS — a node is served only if its certificate chains to the CA;
 *   <li>{@code ClusterSignTimeout} milliseconds per attempt (default 2000), {@code
 *       ClusterSignAttempts} attempts on different signers (default 3), {@code ClusterKeyCacheTTL}
 *       seconds a front-end keeps a sender's key choice (default 300; changes are broadcast).
 * </ul>
 */
public record ClusterSettings(
    Set<Role> roles,
    String name,
    Optional<HostPort> listen,
    List<HostPort> members,
    Optional<HostPort> eventBus,
    Optional<Path> certificate,
    Optional<Path> key,
    Optional<Path> caFile,
    int signTimeoutMillis,
    int signAttempts,
    int keyCacheTtlSeconds,
    Optional<Source> declaredAt) {

  public static final ClusterSettings OFF =
      new ClusterSettings(
          Set.of(),
          "inkan",
          Optional.empty(),
          List.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          2000,
          3,
          300,
          Optional.empty());

  static final int DEFAULT_PORT = 5701;

  public ClusterSettings {
    roles = Set.copyOf(roles);
    members = List.copyOf(members);
  }

  /** What a node does. */
  public enum Role {
    /** Speaks milter to MTAs and does all per-message work but the private-key operation. */
    FRONTEND,
    /** Holds private keys and signs on request. */
    SIGNER
  }

  /** A host and port, with the host as written (brackets stripped from IPv6). */
  public record HostPort(String host, int port) {
    public String text() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /** Where the {@code ClusterRole} line is, for messages about the cluster as a whole. */
  public record Source(String file, int line) {}

  /** Whether clustering is configured at all. */
  public boolean enabled() {
    return !roles.isEmpty();
  }

  public boolean frontEnd() {
    return roles.contains(Role.FRONTEND);
  }

  public boolean signer() {
    return roles.contains(Role.SIGNER);
  }

  /**
   * The rules across keys, checked when the daemon starts: a clustered node needs its address, the
   * members to join, and the three TLS files (the event bus is never served in clear).
   */
  public void check() throws ConfigException {
    if (!enabled()) {
      return;
    }
    Source at = declaredAt.orElse(new Source("(configuration)", 0));
    String missing =
        listen.isEmpty()
            ? "ClusterListen"
            : members.isEmpty()
                ? "ClusterMembers"
                : certificate.isEmpty()
                    ? "ClusterCertificate"
                    : key.isEmpty() ? "ClusterKey" : caFile.isEmpty() ? "ClusterCAFile" : null;
    if (missing != null) {
      throw new ConfigException(
          at.file(),
          at.line(),
          "ClusterRole",
          "ClusterListen, ClusterMembers, ClusterCertificate, ClusterKey and ClusterCAFile with"
              + " it",
          roleText() + " without " + missing);
    }
  }

  private String roleText() {
    return roles.stream()
        .sorted()
        .map(r -> r.name().toLowerCase(Locale.ROOT))
        .reduce((a, b) -> a + "," + b)
        .orElse("");
  }

  static Set<Role> parseRoles(ConfigLine l) throws ConfigException {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : l.value().split("[,\\s]+")) {
      switch (part.toLowerCase(Locale.ROOT)) {
        case "frontend", "front-end" -> roles.add(Role.FRONTEND);
        case "signer" -> roles.add(Role.SIGNER);
        case "both" -> roles.addAll(EnumSet.allOf(Role.class));
        default -> throw l.fail("frontend, signer or frontend,signer");
      }
    }
    return roles;
  }

  static HostPort hostPort(ConfigLine l, String value, int defaultPort) throws ConfigException {
    String v = value.trim();
    String host = v;
    int port = defaultPort;
    int close = v.indexOf(']');
    int colon = v.lastIndexOf(':');
    if (v.startsWith("[")) {
      if (close < 0) {
        throw l.fail("HOST:PORT, an IPv6 address in brackets");
      }
      host = v.substring(1, close);
      if (close + 1 < v.length()) {
        port = port(l, v.substring(close + 1).replaceFirst("^:", ""));
      }
    } else if (colon >= 0) {
      if (v.indexOf(':') != colon) {
        throw l.fail("HOST:PORT, an IPv6 address in brackets");
      }
      host = v.substring(0, colon);
      port = port(l, v.substring(colon + 1));
    }
    if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '/' || c == ',')) {
      throw l.fail("HOST:PORT");
    }
    return new HostPort(host, port);
  }

  private static int port(ConfigLine l, String p) throws ConfigException {
    if (!p.matches("[0-9]{1,5}") || Integer.parseInt(p) > 65535) {
      throw l.fail("HOST:PORT with PORT 0-65535");
    }
    return Integer.parseInt(p);
  }

  static List<HostPort> members(ConfigLine l) throws ConfigException {
    List<HostPort> out = new ArrayList<>();
    for (String m : l.value().split("[,\\s]+")) {
      if (!m.isEmpty()) {
        out.add(hostPort(l, m, DEFAULT_PORT));
      }
    }
    if (out.isEmpty()) {
      throw l.fail("HOST:PORT,HOST:PORT...");
    }
    return out;
  }

  /** The cluster keys as they are read, last one winning. */
  static final class Builder {
    private Set<Role> roles = Set.of();
    private String name = OFF.name;
    private Optional<HostPort> listen = Optional.empty();
    private List<HostPort> members = List.of();
    private Optional<HostPort> eventBus = Optional.empty();
    private Optional<Path> certificate = Optional.empty();
    private Optional<Path> key = Optional.empty();
    private Optional<Path> caFile = Optional.empty();
    private int signTimeoutMillis = OFF.signTimeoutMillis;
    private int signAttempts = OFF.signAttempts;
    private int keyCacheTtlSeconds = OFF.keyCacheTtlSeconds;
    private Optional<Source> declaredAt = Optional.empty();

    void apply(ConfigLine l) throws ConfigException {
      switch (l.key()) {
        case "ClusterRole" -> {
          roles = parseRoles(l);
          declaredAt = Optional.of(new Source(l.file(), l.line()));
        }
        case "ClusterName" -> name = name(l);
        case "ClusterListen" -> listen = Optional.of(hostPort(l, l.value(), DEFAULT_PORT));
        case "ClusterMembers" -> members = members(l);
        case "ClusterEventBus" -> eventBus = Optional.of(hostPort(l, l.value(), 0));
        case "ClusterCertificate" -> certificate = Optional.of(l.path());
        case "ClusterKey" -> key = Optional.of(l.path());
        case "ClusterCAFile" -> caFile = Optional.of(l.path());
        case "ClusterSignTimeout" ->
            signTimeoutMillis = l.integer(10, 60_000, "milliseconds from 10 to 60000");
        case "ClusterSignAttempts" -> signAttempts = l.integer(1, 10, "attempts from 1 to 10");
        case "ClusterKeyCacheTTL" ->
            keyCacheTtlSeconds = l.integer(0, 86400, "seconds from 0 to 86400");
        default -> throw new IllegalStateException("not a cluster key: " + l.key());
      }
    }

    ClusterSettings build() {
      return new ClusterSettings(
          roles,
          name,
          listen,
          members,
          eventBus,
          certificate,
          key,
          caFile,
          signTimeoutMillis,
          signAttempts,
          keyCacheTtlSeconds,
          declaredAt);
    }

    private static String name(ConfigLine l) throws ConfigException {
      if (!l.value().matches("[A-Za-z0-9._-]{1,64}")) {
        throw l.fail("a name of letters, digits, '.', '_' and '-'");
      }
      return l.value();
    }
  }

  /** Whether a key belongs here. */
  static boolean isClusterKey(String key) {
    return key.startsWith("Cluster");
  }
}
