package io.inkan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.DSRecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A private authoritative name server for integration tests: Debian's Knot DNS ({@code knotd}),
 * with its configuration, zone files, database and control socket in a temporary folder, listening
 * on UDP and TCP at {@code 127.0.0.1:PORT} (a free port), running in the foreground as the current
 * user. It is independent of any system instance the package may have started on port 53.
 *
 * <p>Zones are given as record lines relative to the zone's origin; an SOA (negative TTL 60 s), an
 * NS and a {@code $TTL 300} are put in front unless the text has an SOA of its own. Knot answers
 * UDP with at most 1232 bytes (its {@code udp-max-payload} default) and sets TC on longer answers.
 * {@link #pause()} stops the process (SIGSTOP), so queries go unanswered until {@link #resume()}.
 * {@link #startSigned} has knotd sign chosen zones with DNSSEC.
 */
public final class AuthoritativeDns implements AutoCloseable {
  /** The Debian binary this harness runs. */
  public static final Path KNOTD = Path.of("/usr/sbin/knotd");

  private static final String WHAT = "knotd (Debian package knot)";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;
  private final List<String> zones;
  private Set<String> signed = Set.of();
  private Process process;
  private boolean paused;

  private AuthoritativeDns(Path dir, int port, List<String> zones) {
    this.dir = dir;
    this.port = port;
    this.zones = zones;
  }

  /** Whether knotd is installed. */
  public static boolean installed() {
    return Files.isExecutable(KNOTD);
  }

  /** Skips the test (fails it under {@code CI=true}) unless knotd is installed. */
  public static void require() {
    Prerequisites.require(installed(), WHAT);
  }

  /**
   * Starts a server for the given zones and waits until it answers for each of them.
   *
   * @param zones zone name (e.g. {@code example.com}) to its record lines
   */
  public static AuthoritativeDns start(Map<String, String> zones) throws IOException {
    return start(zones, Set.of());
  }

  /**
   * Starts a server whose zones named in {@code signed} are DNSSEC-signed by knotd itself ({@code
   * dnssec-signing: on} with Knot's default policy: ECDSA P-256 KSK and ZSK, NSEC), and waits until
   * each serves its DNSKEY set. {@link #trustAnchor} gives a signed zone's keys as a trust anchor.
   *
   * @param signed zone names of {@code zones} to sign
   */
  public static AuthoritativeDns startSigned(Map<String, String> zones, Set<String> signed)
      throws IOException {
    AuthoritativeDns dns = start(zones, signed);
    try {
      for (String zone : signed) {
        dns.awaitKeys(origin(zone));
      }
    } catch (IOException e) {
      dns.close();
      throw e;
    }
    return dns;
  }

  private static AuthoritativeDns start(Map<String, String> zones, Set<String> signed)
      throws IOException {
    require();
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Path dir = Files.createTempDirectory("inkan-knot");
      AuthoritativeDns dns = new AuthoritativeDns(dir, freePort(), List.copyOf(zones.keySet()));
      dns.signed = signed.stream().map(AuthoritativeDns::origin).collect(Collectors.toSet());
      try {
        dns.configure(zones);
        dns.launch();
        return dns;
      } catch (IOException e) {
        // Most likely the free port was taken meanwhile; try another.
        dns.close();
        last = e;
      }
    }
    throw last;
  }

  /** A loopback port free for both UDP and TCP right now. */
  static int freePort() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    for (int i = 0; i < 20; i++) {
      try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0))) {
        try (ServerSocket tcp = new ServerSocket()) {
          tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
          return udp.getLocalPort();
        } catch (IOException taken) {
          // the TCP side is in use; try another
        }
      }
    }
    throw new IOException("no loopback port free for both UDP and TCP");
  }

  private void configure(Map<String, String> zoneTexts) throws IOException {
    Path zoneDir = Files.createDirectories(dir.resolve("zones"));
    Files.createDirectories(dir.resolve("db"));
    Files.createDirectories(dir.resolve("run"));
    StringBuilder conf = new StringBuilder();
    conf.append("server:\n")
        .append("    rundir: \"")
        .append(dir.resolve("run"))
        .append("\"\n    listen: 127.0.0.1@")
        .append(port)
        .append("\n    udp-workers: 1\n    tcp-workers: 1\n    background-workers: 1\n")
        .append("database:\n    storage: \"")
        .append(dir.resolve("db"))
        .append("\"\nlog:\n  - target: stderr\n    any: info\n")
        .append("template:\n  - id: default\n    storage: \"")
        .append(zoneDir)
        .append("\"\n    file: \"%s.zone\"\n    zonefile-sync: -1\n")
        .append("    zonefile-load: whole\n    journal-content: none\n")
        .append("zone:\n");
    for (Map.Entry<String, String> z : zoneTexts.entrySet()) {
      String origin = origin(z.getKey());
      conf.append("  - domain: ").append(origin).append('\n');
      if (signed.contains(origin)) {
        conf.append("    dnssec-signing: on\n");
      }
      Files.writeString(zoneDir.resolve(origin + "zone"), zoneFile(origin, z.getValue()));
    }
    Files.writeString(dir.resolve("knot.conf"), conf);
  }

  private static String origin(String zone) {
    String z = zone.toLowerCase(Locale.ROOT);
    return z.endsWith(".") ? z : z + ".";
  }

  /** The zone file: {@code $ORIGIN}, then a default head unless {@code records} has an SOA. */
  static String zoneFile(String origin, String records) {
    StringBuilder out = new StringBuilder("$ORIGIN ").append(origin).append('\n');
    if (!records.matches("(?is).*\\bSOA\\b.*")) {
      out.append("$TTL 300\n")
          .append("@ SOA ns hostmaster 1 3600 600 86400 60\n")
          .append("@ NS ns\n")
          .append("ns A 127.0.0.1\n");
    }
    return out.append(records).append('\n').toString();
  }

  private void launch() throws IOException {
    process =
        new ProcessBuilder(KNOTD.toString(), "-c", dir.resolve("knot.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("knotd.log").toFile()))
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (String zone : zones) {
      while (!answers(origin(zone))) {
        if (!process.isAlive()) {
          throw new IOException("knotd exited with " + process.exitValue() + ":\n" + log());
        }
        if (System.nanoTime() > deadline) {
          throw new IOException(
              "knotd did not serve " + zone + " on port " + port + " in time:\n" + log());
        }
        sleep(50);
      }
    }
  }

  /** Whether the server answers authoritatively for the zone's SOA. */
  private boolean answers(String origin) {
    try {
      Message reply = query(origin, Type.SOA, false, Duration.ofMillis(300));
      return reply.getRcode() == Rcode.NOERROR && reply.getHeader().getFlag(Flags.AA);
    } catch (IOException notYet) {
      return false;
    }
  }

  /** Waits until knotd serves the signed zone's DNSKEY set (it signs after loading). */
  private void awaitKeys(String origin) throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (dnskeys(origin).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("knotd did not sign " + origin + " in time:\n" + log());
      }
      sleep(50);
    }
  }

  /** The zone's DNSKEY records as served (empty when unsigned). */
  public List<DNSKEYRecord> dnskeys(String zone) throws IOException {
    try {
      return query(zone, Type.DNSKEY, true, Duration.ofSeconds(2))
          .getSection(Section.ANSWER)
          .stream()
          .filter(DNSKEYRecord.class::isInstance)
          .map(DNSKEYRecord.class::cast)
          .toList();
    } catch (IOException notYet) {
      return List.of();
    }
  }

  /**
   * A trust-anchor file's text for a signed zone: its key-signing keys (flag SEP) as DS records
   * (SHA-256, RFC 4509) or as DNSKEY records, one per line in zone-file format.
   *
   * @param asDs DS records, as a parent zone would publish them; else the DNSKEY records
   */
  public String trustAnchor(String zone, boolean asDs) throws IOException {
    StringBuilder out = new StringBuilder();
    for (DNSKEYRecord key : dnskeys(zone)) {
      if ((key.getFlags() & DNSKEYRecord.Flags.SEP_KEY) == 0) {
        continue;
      }
      Record r =
          asDs ? new DSRecord(key.getName(), DClass.IN, 3600, DNSSEC.Digest.SHA256, key) : key;
      out.append(r).append('\n');
    }
    if (out.length() == 0) {
      throw new IOException(zone + " has no key-signing key:\n" + log());
    }
    return out.toString();
  }

  /**
   * One query as it comes back, for checking what the server does (e.g. that it sets TC).
   *
   * @param tcp whether to ask over TCP; over UDP a truncated answer is returned as it is
   */
  public Message query(String name, int type, boolean tcp, Duration timeout) throws IOException {
    SimpleResolver r = new SimpleResolver(address());
    r.setTCP(tcp);
    r.setIgnoreTruncation(true);
    r.setTimeout(timeout);
    return r.send(
        Message.newQuery(Record.newRecord(Name.fromString(origin(name)), type, DClass.IN)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code 127.0.0.1:PORT}. */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /** What knotd printed so far. */
  public String log() {
    try {
      Path log = dir.resolve("knotd.log");
      return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the process (SIGSTOP): queries stay unanswered, in the socket buffers, until resumed. */
  public void pause() throws IOException {
    signal("STOP");
    paused = true;
  }

  /** Lets a paused server run again (SIGCONT); it then answers what was queued meanwhile. */
  public void resume() throws IOException {
    signal("CONT");
    paused = false;
  }

  private void signal(String name) throws IOException {
    if (process == null || !process.isAlive()) {
      throw new IOException("knotd is not running:\n" + log());
    }
    // The shell's built-in kill: procps may be missing from a slim image.
    Slapd.run(List.of("/bin/sh", "-c", "kill -" + name + " " + process.pid()));
  }

  /** Stops knotd (SIGTERM, resumed first when paused) and deletes its folder. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      try {
        if (paused) {
          resume();
        }
      } catch (IOException e) {
        // SIGKILL below still works on a stopped process
      }
      ChildProcesses.stop(process, 10);
    }
    ChildProcesses.deleteTree(dir);
  }
}
