package io.inkan.testing;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFChangeRecord;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private Debian slapd for integration tests: its own cn=config (slapd.d built with {@code
 * slapadd -n0}), an mdb database for one suffix with a root DN and password, core, cosine,
 * inetorgperson and the repository's {@code ldap-schema/dkim.ldif} and {@code inkan.ldif}, the
 * syncprov overlay, listening on {@code ldap://127.0.0.1:PORT/} and on an ldapi socket in its
 * folder, running in the foreground as the current user.
 *
 * <p>Debian's slapd package ships no AppArmor profile (Ubuntu's does, and it confines slapd to
 * {@code /var/lib/ldap} and {@code /etc/ldap}); where such a profile is enforced, start tests with
 * it in complain mode.
 */
public final class Slapd implements AutoCloseable {
  /** The Debian binaries this harness runs. */
  public static final Path SLAPD = Path.of("/usr/sbin/slapd");

  public static final Path SLAPADD = Path.of("/usr/sbin/slapadd");
  public static final Path SLAPTEST = Path.of("/usr/sbin/slaptest");
  public static final Path LDAPADD = Path.of("/usr/bin/ldapadd");

  private static final String WHAT = "slapd (Debian packages slapd and ldap-utils)";

  private final Builder config;
  private final Path dir;
  private final int port;
  private Process process;

  private Slapd(Builder config, Path dir, int port) {
    this.config = config;
    this.dir = dir;
    this.port = port;
  }

  /** Whether slapd, slapadd and slaptest are installed. */
  public static boolean installed() {
    return Files.isExecutable(SLAPD) && Files.isExecutable(SLAPADD) && Files.isExecutable(SLAPTEST);
  }

  /** Skips the test (fails it under {@code CI=true}) unless slapd is installed. */
  public static void require() {
    Prerequisites.require(installed(), WHAT);
  }

  /** Skips the test (fails it under {@code CI=true}) unless ldapadd & co. are installed too. */
  public static void requireClients() {
    Prerequisites.require(installed() && Files.isExecutable(LDAPADD), WHAT);
  }

  /** A server for {@code dc=example,dc=com} with every schema and the suffix entry. */
  public static Slapd start() throws IOException {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** What to start; every setting has a default. */
  public static final class Builder {
    private String suffix = "dc=example,dc=com";
    private String rootPassword = "slapd-root-secret";
    private boolean suffixEntry = true;
    private boolean repoSchemas = true;
    private List<String> access = List.of("to * by * read");
    private String logLevel = "0";
    private int port;

    private Builder() {}

    /** The database suffix (default {@code dc=example,dc=com}). */
    public Builder suffix(String suffix) {
      this.suffix = suffix;
      return this;
    }

    public Builder rootPassword(String rootPassword) {
      this.rootPassword = rootPassword;
      return this;
    }

    /** Whether to add the suffix entry (dcObject + organization) once started (default yes). */
    public Builder suffixEntry(boolean add) {
      this.suffixEntry = add;
      return this;
    }

    /** Whether to load {@code ldap-schema/dkim.ldif} and {@code inkan.ldif} (default yes). */
    public Builder repoSchemas(boolean load) {
      this.repoSchemas = load;
      return this;
    }

    /** The database's {@code olcAccess} rules, in order (default: everyone reads). */
    public Builder access(List<String> rules) {
      this.access = List.copyOf(rules);
      return this;
    }

    /**
     * What slapd writes to {@link #log()}: {@code slapd -d} with one slapd.conf(5) {@code loglevel}
     * name or a number ({@code stats}: a line per operation; {@code 16640}: stats and sync);
     * default {@code 0}, little.
     */
    public Builder logLevel(String level) {
      this.logLevel = level;
      return this;
    }

    /** A fixed port (default: a free one). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** Builds the configuration and starts slapd; skips the test when slapd is missing. */
    public Slapd start() throws IOException {
      require();
      Path dir = Files.createTempDirectory("inkan-slapd");
      Slapd slapd = new Slapd(this, dir, port != 0 ? port : freePort());
      try {
        slapd.configure();
        slapd.launch();
        if (suffixEntry) {
          slapd.add(suffixEntryLdif(suffix));
        }
        return slapd;
      } catch (IOException | RuntimeException e) {
        slapd.close();
        throw e;
      }
    }
  }

  /** A port nothing listens on right now. */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  private static String suffixEntryLdif(String suffix) {
    String first = suffix.substring(suffix.indexOf('=') + 1, indexOrEnd(suffix, ','));
    return "dn: "
        + suffix
        + "\nobjectClass: top\nobjectClass: dcObject\nobjectClass: organization\ndc: "
        + first
        + "\no: "
        + first
        + "\n";
  }

  private static int indexOrEnd(String s, char c) {
    int i = s.indexOf(c);
    return i < 0 ? s.length() : i;
  }

  private void configure() throws IOException {
    Path slapdD = Files.createDirectories(dir.resolve("slapd.d"));
    Files.createDirectories(dir.resolve("data"));
    int uid = (Integer) Files.getAttribute(dir, "unix:uid");
    int gid = (Integer) Files.getAttribute(dir, "unix:gid");
    List<Path> schemas = new ArrayList<>();
    if (config.repoSchemas) {
      schemas.add(schemaDir().resolve("dkim.ldif"));
      schemas.add(schemaDir().resolve("inkan.ldif"));
    }
    String ldif =
        SlapdConfig.cnConfig(
            dir, config.suffix, rootDn(), config.rootPassword, schemas, config.access, uid, gid);
    Path file = dir.resolve("config.ldif");
    Files.writeString(file, ldif);
    run(List.of(SLAPADD.toString(), "-n0", "-F", slapdD.toString(), "-l", file.toString()));
  }

  /** The repository's {@code ldap-schema} folder. */
  public static Path schemaDir() {
    return Prerequisites.repoDir().resolve("ldap-schema");
  }

  /**
   * Runs a command to its end (at most a minute) and returns its output.
   *
   * @throws IOException naming the command and its output when it fails
   */
  public static String run(List<String> command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": timed out\n" + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + ": exit " + p.exitValue() + "\n" + out);
    }
    return out;
  }

  private void launch() throws IOException {
    String listeners = url() + "/ " + ldapiUrl() + "/";
    process =
        new ProcessBuilder(
                SLAPD.toString(),
                "-d",
                config.logLevel,
                "-h",
                listeners,
                "-F",
                dir.resolve("slapd.d").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("slapd.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      if (!process.isAlive()) {
        throw new IOException("slapd exited with " + process.exitValue() + ":\n" + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IOException("slapd did not listen on " + url() + " in 30 s:\n" + log());
        }
      }
      sleep(50);
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

  /** {@code ldap://127.0.0.1:PORT} (without a trailing slash). */
  public String url() {
    return "ldap://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The ldapi socket in this server's folder. */
  public Path ldapiSocket() {
    return dir.resolve("ldapi");
  }

  /** {@code ldapi://%2F...} (without a trailing slash), for {@code ldapadd -Y EXTERNAL -H}. */
  public String ldapiUrl() {
    return "ldapi://" + ldapiSocket().toString().replace("/", "%2F");
  }

  public String suffix() {
    return config.suffix;
  }

  public String rootDn() {
    return "cn=admin," + config.suffix;
  }

  public String rootPassword() {
    return config.rootPassword;
  }

  /** This server's folder (configuration, data, socket, log). */
  public Path dir() {
    return dir;
  }

  /** What slapd printed so far. */
  public String log() {
    try {
      Path log = dir.resolve("slapd.log");
      return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new connection bound as the root DN; the caller closes it. */
  public LDAPConnection connect() throws LDAPException {
    return new LDAPConnection("127.0.0.1", port, rootDn(), config.rootPassword);
  }

  /** Adds every entry of an LDIF text, as the root DN. */
  public void add(String ldif) throws IOException {
    try (LDAPConnection c = connect();
        LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
      for (Entry e = reader.readEntry(); e != null; e = reader.readEntry()) {
        c.add(e);
      }
    } catch (LDAPException | LDIFException e) {
      throw new IOException("add to " + url() + " failed: " + e.getMessage(), e);
    }
  }

  /** Adds every entry of an LDIF file, as the root DN. */
  public void add(Path ldif) throws IOException {
    add(Files.readString(ldif, StandardCharsets.UTF_8));
  }

  /** Applies every change record of an LDIF text ({@code changetype: modify} etc.). */
  public void modify(String ldif) throws IOException {
    try (LDAPConnection c = connect();
        LDIFReader reader = new LDIFReader(new BufferedReader(new StringReader(ldif)))) {
      for (LDIFChangeRecord r = reader.readChangeRecord(true);
          r != null;
          r = reader.readChangeRecord(true)) {
        r.processChange(c);
      }
    } catch (LDAPException | LDIFException e) {
      throw new IOException("modify on " + url() + " failed: " + e.getMessage(), e);
    }
  }

  /** Whether the slapd process runs. */
  public boolean running() {
    return process != null && process.isAlive();
  }

  /** Stops slapd cleanly (SIGTERM), waiting for it to exit. */
  public void stop() {
    ChildProcesses.stop(process, 15);
  }

  /** Kills slapd at once (SIGKILL), as a crash or a pulled cable would, for failover tests. */
  public void kill() {
    if (running()) {
      try {
        process.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Starts slapd again after {@link #stop()} or {@link #kill()}, on the same port and data. */
  public void restart() throws IOException {
    stop();
    launch();
  }

  /** Stops slapd and deletes its folder. */
  @Override
  public void close() {
    stop();
    ChildProcesses.deleteTree(dir);
  }

  @Override
  public String toString() {
    return "Slapd[" + url() + ", " + config.suffix + "]";
  }
}
