package io.inkan.postfix;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A private Postfix instance (its own config, queue and data directories under {@code dir}, SMTP on
 * a free 127.0.0.1 port, local submission through {@code sendmail -C}) that hands every message for
 * {@code example.net} to a {@code pipe} transport writing it, unchanged, to {@code out/QUEUEID}.
 * The milter serves both paths: {@code smtpd_milters} for SMTP and {@code non_smtpd_milters} for
 * mail that {@code pickup(8)} takes from the maildrop queue. Needs root and {@code
 * /usr/sbin/postfix}; it never touches the system instance in {@code /etc/postfix}.
 */
final class PostfixInstance implements AutoCloseable {
  static final Path POSTFIX = Paths.get("/usr/sbin/postfix");
  static final Path SENDMAIL = Paths.get("/usr/sbin/sendmail");
  static final String HOSTNAME = "mx.inkan.test";

  private final Path dir;
  private final int port;

  private PostfixInstance(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Writes the configuration into {@code dir} (which the postfix user must traverse), starts. */
  static PostfixInstance start(Path dir, Path milterSocket) throws IOException {
    for (String d : new String[] {"etc", "spool", "out"}) {
      Files.createDirectories(dir.resolve(d));
    }
    Files.setPosixFilePermissions(dir.resolve("out"), PosixFilePermissions.fromString("rwxrwxrwx"));
    Path capture =
        Files.writeString(
            dir.resolve("capture.sh"),
            "#!/bin/sh\n# pipe(8) runs this as nobody with the message on stdin; $1 = queue id\n"
                + "set -e\ncat > '"
                + dir.resolve("out")
                + "'/.\"$1\"\nmv '"
                + dir.resolve("out")
                + "'/.\"$1\" '"
                + dir.resolve("out")
                + "'/\"$1\"\n");
    Files.setPosixFilePermissions(capture, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("etc/main.cf"), mainCf(dir, milterSocket));
    String failure = "";
    for (int attempt = 0; attempt < 3; attempt++) { // a free port may be taken before master binds
      int port = freePort();
      Files.writeString(dir.resolve("etc/master.cf"), masterCf(port, capture));
      String output = runPostfix(dir, "start");
      if (output == null) {
        return new PostfixInstance(dir, port);
      }
      failure = output + maillog(dir);
    }
    throw new IllegalStateException(
        "postfix -c " + dir.resolve("etc") + " start failed: " + failure);
  }

  static String mainCf(Path dir, Path milterSocket) {
    return String.join(
        "\n",
        "# Written by PostfixMilterTest: a private instance, milter = Inkan",
        "compatibility_level = 3.6",
        "queue_directory = " + dir.resolve("spool"),
        "data_directory = " + dir.resolve("data"),
        "mail_owner = postfix",
        "setgid_group = postdrop",
        "inet_interfaces = 127.0.0.1",
        "inet_protocols = ipv4",
        "myhostname = " + HOSTNAME,
        "mydomain = inkan.test",
        "mydestination = example.net",
        "local_recipient_maps =",
        "local_transport = capture",
        "default_transport = error:5.7.1 this test instance relays nothing",
        "mynetworks = 127.0.0.0/8",
        "alias_maps =",
        "alias_database =",
        "smtpd_peername_lookup = no",
        "smtputf8_enable = no",
        "biff = no",
        "in_flow_delay = 0",
        "maillog_file = " + dir.resolve("maillog"),
        "maillog_file_prefixes = " + dir,
        "smtpd_milters = unix:" + milterSocket,
        "non_smtpd_milters = unix:" + milterSocket,
        "milter_default_action = tempfail",
        "");
  }

  static String masterCf(int port, Path capture) {
    return String.join(
        "\n",
        "# service type private unpriv chroot wakeup maxproc command",
        "127.0.0.1:" + port + " inet n - n - - smtpd",
        "pickup    unix n - n 60 1 pickup",
        "cleanup   unix n - n - 0 cleanup",
        "qmgr      unix n - n 300 1 qmgr",
        "rewrite   unix - - n - - trivial-rewrite",
        "bounce    unix - - n - 0 bounce",
        "defer     unix - - n - 0 bounce",
        "trace     unix - - n - 0 bounce",
        "verify    unix - - n - 1 verify",
        "flush     unix n - n 1000? 0 flush",
        "proxymap  unix - - n - - proxymap",
        "showq     unix n - n - - showq",
        "error     unix - - n - - error",
        "retry     unix - - n - - error",
        "discard   unix - - n - - discard",
        "anvil     unix - - n - 1 anvil",
        "scache    unix - - n - 1 scache",
        "postlog   unix-dgram n - n - 1 postlogd",
        "capture   unix - n n - - pipe user=nobody argv=" + capture + " ${queue_id}",
        "");
  }

  int port() {
    return port;
  }

  /** Waits up to {@code timeout} for message {@code queueId} to be delivered; its text. */
  String delivered(String queueId, Duration timeout) throws IOException, InterruptedException {
    Path file = dir.resolve("out").resolve(queueId);
    long end = System.nanoTime() + timeout.toNanos();
    while (!Files.exists(file)) {
      if (System.nanoTime() > end) {
        throw new AssertionError(queueId + " not delivered in " + timeout + "; " + maillog(dir));
      }
      Thread.sleep(50);
    }
    return Files.readString(file, ISO_8859_1);
  }

  /**
   * Submits {@code message} (LF line ends, as a local program writes it) with Postfix's {@code
   * sendmail -C ETC -f FROM TO}: postdrop(1) puts it in the maildrop queue, pickup(8) hands it to
   * cleanup(8), which runs {@code non_smtpd_milters}. Fails unless sendmail exits 0.
   */
  void sendmail(String from, String to, String message) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(SENDMAIL.toString(), "-C", dir.resolve("etc").toString(), "-f", from, to)
            .redirectErrorStream(true)
            .start();
    try (var in = p.getOutputStream()) {
      in.write(message.replace("\r\n", "\n").getBytes(ISO_8859_1));
    }
    String output = new String(p.getInputStream().readAllBytes(), ISO_8859_1);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("sendmail did not finish: " + output);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("sendmail exit " + p.exitValue() + ": " + output + maillog(dir));
    }
  }

  /**
   * Waits up to {@code timeout} for a delivered message containing {@code token} (a Message-ID:
   * local submission does not tell the queue id); its text.
   */
  String deliveredContaining(String token, Duration timeout)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      try (var files = Files.list(dir.resolve("out"))) {
        for (Path f : files.toList()) {
          if (!f.getFileName().toString().startsWith(".")) {
            String text = Files.readString(f, ISO_8859_1);
            if (text.contains(token)) {
              return text;
            }
          }
        }
      }
      if (System.nanoTime() > end) {
        throw new AssertionError(token + " not delivered in " + timeout + "; " + maillog(dir));
      }
      Thread.sleep(50);
    }
  }

  /** How many messages were delivered so far. */
  long deliveredCount() throws IOException {
    try (var files = Files.list(dir.resolve("out"))) {
      return files.filter(f -> !f.getFileName().toString().startsWith(".")).count();
    }
  }

  String maillog() {
    return maillog(dir);
  }

  private static String maillog(Path dir) {
    try {
      return "maillog:\n" + Files.readString(dir.resolve("maillog"), ISO_8859_1);
    } catch (IOException e) {
      return "no maillog (" + e + ")";
    }
  }

  /** Stops the instance and waits for its master process to end. */
  @Override
  public void close() throws IOException {
    Optional<Long> master = masterPid();
    String output = runPostfix(dir, "stop");
    if (output != null) {
      throw new IllegalStateException("postfix stop failed: " + output);
    }
    if (master.isPresent()) {
      Optional<ProcessHandle> p = ProcessHandle.of(master.get());
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (p.isPresent() && p.get().isAlive() && System.nanoTime() < end) {
        sleep(50);
      }
    }
  }

  private Optional<Long> masterPid() {
    try {
      return Optional.of(
          Long.parseLong(Files.readString(dir.resolve("spool/pid/master.pid")).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Runs {@code postfix -c DIR/etc VERB}; null on success, else its output. */
  private static String runPostfix(Path dir, String verb) {
    try {
      Process p =
          new ProcessBuilder(POSTFIX.toString(), "-c", dir.resolve("etc").toString(), verb)
              .redirectErrorStream(true)
              .start();
      String output = new String(p.getInputStream().readAllBytes(), ISO_8859_1);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "postfix " + verb + " timed out: " + output;
      }
      return p.exitValue() == 0 ? null : "exit " + p.exitValue() + ": " + output;
    } catch (IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e.toString();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s =
        new ServerSocket(0, 1, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
