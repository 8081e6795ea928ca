package io.inkan.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A private Knot DNS primary that accepts dynamic updates (RFC 2136) signed with one TSIG key (RFC
 * 8945), for publication tests; {@link AuthoritativeDns}'s sibling. Its configuration has a {@code
 * key} (hmac-sha256, a random secret), an {@code acl} allowing {@code update} from 127.0.0.1 with
 * that key only, and one zone using the ACL, kept in memory and the journal (the zone file is never
 * rewritten). It listens on UDP and TCP at {@code 127.0.0.1:PORT}.
 */
public final class AuthoritativeDnsUpdates implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final Path dir;
  private final int port;
  private final String zone;
  private final String keyName;
  private final String secret;
  private Process process;

  private AuthoritativeDnsUpdates(Path dir, int port, String zone, String keyName, String secret) {
    this.dir = dir;
    this.port = port;
    this.zone = zone;
    this.keyName = keyName;
    this.secret = secret;
  }

  /**
   * Starts a primary for {@code zone} (record lines relative to its origin, a default SOA and NS
   * put in front as {@link AuthoritativeDns} does) with a new TSIG key named {@code keyName}.
   */
  public static AuthoritativeDnsUpdates start(String zone, String records, String keyName)
      throws IOException {
    AuthoritativeDns.require();
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    String secret = Base64.getEncoder().encodeToString(random);
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      Path dir = Files.createTempDirectory("inkan-knot-update");
      AuthoritativeDnsUpdates dns =
          new AuthoritativeDnsUpdates(
              dir, AuthoritativeDns.freePort(), origin(zone), origin(keyName), secret);
      try {
        dns.configure(records);
        dns.launch();
        return dns;
      } catch (IOException e) {
        dns.close();
        last = e;
      }
    }
    throw last;
  }

  private static String origin(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n : n + ".";
  }

  private void configure(String records) throws IOException {
    Path zoneDir = Files.createDirectories(dir.resolve("zones"));
    Files.createDirectories(dir.resolve("db"));
    Files.createDirectories(dir.resolve("run"));
    String conf =
        String.join(
            "\n",
            "server:",
            "    rundir: \"" + dir.resolve("run") + "\"",
            "    listen: 127.0.0.1@" + port,
            "    udp-workers: 1",
            "    tcp-workers: 1",
            "    background-workers: 1",
            "key:",
            "  - id: " + keyName,
            "    algorithm: hmac-sha256",
            "    secret: " + secret,
            "acl:",
            "  - id: inkan-update",
            "    address: 127.0.0.1",
            "    key: " + keyName,
            "    action: update",
            "database:",
            "    storage: \"" + dir.resolve("db") + "\"",
            "log:",
            "  - target: stderr",
            "    any: info",
            "template:",
            "  - id: default",
            "    storage: \"" + zoneDir + "\"",
            "    file: \"%s.zone\"",
            "    zonefile-sync: -1",
            "    zonefile-load: whole",
            "    journal-content: changes",
            "zone:",
            "  - domain: " + zone,
            "    acl: inkan-update",
            "");
    Files.writeString(zoneDir.resolve(zone + "zone"), AuthoritativeDns.zoneFile(zone, records));
    Files.writeString(dir.resolve("knot.conf"), conf);
  }

  private void launch() throws IOException {
    process =
        new ProcessBuilder(
                AuthoritativeDns.KNOTD.toString(), "-c", dir.resolve("knot.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("knotd.log").toFile()))
            .start();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!answers()) {
      if (!process.isAlive()) {
        throw new IOException("knotd exited with " + process.exitValue() + ":\n" + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("knotd did not serve " + zone + " on port " + port + ":\n" + log());
      }
      sleep(50);
    }
  }

  private boolean answers() {
    try {
      Message reply = query(zone, Type.SOA);
      return reply.getRcode() == Rcode.NOERROR && reply.getHeader().getFlag(Flags.AA);
    } catch (IOException notYet) {
      return false;
    }
  }

  /** One query over UDP (TCP when truncated) as it comes back. */
  public Message query(String name, int type) throws IOException {
    SimpleResolver r = new SimpleResolver(address());
    r.setTimeout(Duration.ofMillis(500));
    return r.send(
        Message.newQuery(Record.newRecord(Name.fromString(origin(name)), type, DClass.IN)));
  }

  /** The joined strings of every TXT record at {@code name} (RFC 6376 §3.6.2.2). */
  public List<String> txt(String name) throws IOException {
    return query(name, Type.TXT).getSection(org.xbill.DNS.Section.ANSWER).stream()
        .filter(r -> r instanceof org.xbill.DNS.TXTRecord)
        .map(r -> String.join("", ((org.xbill.DNS.TXTRecord) r).getStrings()))
        .toList();
  }

  /** {@code 127.0.0.1:PORT}. */
  public InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  public int port() {
    return port;
  }

  /** The TSIG key's name, absolute. */
  public String keyName() {
    return keyName;
  }

  /** The TSIG key in BIND's {@code key} statement form, as {@code tsig-keygen} writes it. */
  public String bindKeyFile() {
    return "key \""
        + keyName
        + "\" {\n\talgorithm hmac-sha256;\n\tsecret \""
        + secret
        + "\";\n};\n";
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

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops knotd (SIGTERM) and deletes its folder. */
  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      ChildProcesses.stop(process, 10);
    }
    ChildProcesses.deleteTree(dir);
  }
}
