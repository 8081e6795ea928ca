package io.inkan.ops;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.testing.ChildProcesses;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Prerequisites;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package end to end: {@code ops/package/build-deb.sh} builds it from the shaded jar,
 * {@code dpkg -i} installs it, the installed unit's {@code ExecStart} runs as the {@code inkan}
 * user (systemd is not PID 1 here, so the test makes the unit's runtime and state folders), a
 * message is signed through it over the milter protocol and dkimpy verifies the signature; then
 * {@code dpkg --purge} must leave none of its files, nor the user. Run by maven-failsafe-plugin
 * after {@code package}; root only, since it changes the machine.
 */
class DebPackageIT {
  private static final Path CONF = Paths.get("/etc/inkan/inkan.conf");
  private static final Path KEYS = Paths.get("/etc/inkan/keys/example.com");
  private static final Path RUN = Paths.get("/run/inkan");
  private static final Path STATE = Paths.get("/var/lib/inkan");
  private static final List<Path> PACKAGE_FILES =
      List.of(
          Paths.get("/usr/bin/inkan"),
          Paths.get("/usr/lib/inkan"),
          DebPackage.UNIT,
          Paths.get("/etc/inkan"),
          Paths.get("/usr/share/doc/inkan"));
  private static final String MESSAGE =
      "From: Sender <sender@example.com>\r\n"
          + "To: rcpt@example.net\r\n"
          + "Subject: from the installed package\r\n"
          + "Date: Sun, 29 Nov 2026 12:00:00 +0000\r\n"
          + "Message-ID: <deb-package-it@example.com>\r\n"
          + "\r\n"
          + "Signed by /usr/bin/inkan as the package installed it.\r\n";

  @TempDir Path dir;

  @Test
  void installsSignsThroughTheUnitsCommandAndPurgesClean() throws Exception {
    Path jar = Paths.get(System.getProperty("inkan.jar", "target/inkan.jar")).toAbsolutePath();
    DebPackage.requirePrerequisites(jar);
    Path python = Prerequisites.dkimpyPython();
    if (DebPackage.known()) {
      DebPackage.purge(); // left by a run that stopped half-way
    }
    Prerequisites.require(
        PACKAGE_FILES.stream().noneMatch(Files::exists),
        "a machine without Inkan installed by hand (" + PACKAGE_FILES + " exist)");

    Path deb = DebPackage.build(jar, dir);
    Process daemon = null;
    try {
      DebPackage.run(Duration.ofMinutes(5), "dpkg", "-i", deb.toString());
      checkInstalled();
      daemon = startUnitCommand();
      Path socket = RUN.resolve("inkan.sock");
      awaitSocket(daemon, socket);

      MilterProbe.Outcome out = MilterProbe.send(socket, "127.0.0.1", MESSAGE);
      assertThat(out.signatures()).as(out.toString()).hasSize(1);
      assertThat(MilterProbe.tag(out.signatures().get(0), "d")).isEqualTo("example.com");
      assertThat(MilterProbe.tag(out.signatures().get(0), "s")).isEqualTo("default");
      assertThat(dkimpyVerify(python, out.signed(MESSAGE))).as("dkimpy verify").isZero();

      daemon.destroy(); // SIGTERM, as systemctl stop sends
      assertThat(daemon.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
      assertThat(daemon.exitValue()).as(log()).isZero();
    } finally {
      ChildProcesses.stop(daemon, 30);
      ChildProcesses.deleteTree(KEYS); // purge keeps keys an administrator made
      ChildProcesses.deleteTree(RUN); // systemd removes RuntimeDirectory at stop
      if (DebPackage.known()) {
        DebPackage.purge();
      }
    }
    assertThat(DebPackage.known()).as("dpkg still knows the package").isFalse();
    for (Path p : PACKAGE_FILES) {
      assertThat(p).as("left by dpkg --purge").doesNotExist();
    }
    assertThat(STATE).as("state folder left by dpkg --purge").doesNotExist();
    assertThat(userExists()).as("user inkan left by dpkg --purge").isFalse();
  }

  /** The files, user, conffile and stock configuration the package installs. */
  private static void checkInstalled() throws Exception {
    for (Path p : PACKAGE_FILES) {
      assertThat(p).exists();
    }
    assertThat(userExists()).as("user inkan").isTrue();
    assertThat(
            DebPackage.run(Duration.ofMinutes(1), "dpkg-query", "-W", "-f=${Conffiles}", "inkan"))
        .contains("/etc/inkan/inkan.conf");
    assertThat(Files.getAttribute(CONF, "posix:group").toString()).isEqualTo("inkan");
    // The example configuration loads as installed.
    assertThat(
            DebPackage.run(Duration.ofMinutes(2), "/usr/bin/inkan", "serve", "-x", CONF + "", "-n"))
        .contains("is valid");
  }

  /**
   * Follows the example configuration's steps to sign for example.com (a key made by the inkan
   * user, the four lines uncommented, Mode sv), points it at a unix socket in the runtime folder
   * and starts the unit's ExecStart as the inkan user, as {@code run-as-user.conf} would.
   */
  private Process startUnitCommand() throws Exception {
    List<String> command = DebPackage.execStart(DebPackage.UNIT);
    assertThat(command).startsWith("/usr/bin/inkan", "serve", "-x", CONF.toString());
    DebPackage.inkanDir(KEYS, "0750");
    DebPackage.run(
        DebPackage.asInkan(
            List.of(
                "/usr/bin/inkan", "genkey", "-d", "example.com", "-s", "default", "-D", KEYS + "")),
        Duration.ofMinutes(2));

    String conf = Files.readString(CONF);
    String signing = conf.replaceFirst("(?m)^Mode\\s+v$", "Mode sv");
    for (String key : List.of("Domain", "Selector", "KeyFile", "Canonicalization")) {
      signing = signing.replaceFirst("(?m)^#" + key + "\\s", key + " ");
    }
    assertThat(signing).contains("Mode sv", "\nDomain ", "\nSelector ", "\nKeyFile ");
    Files.writeString(
        CONF,
        signing
            + "\n# DebPackageIT: a unix socket (MtaSimulator), logs to stderr, no DNS checks\n"
            + "Socket local:"
            + RUN.resolve("inkan.sock")
            + "\nSyslog no\nKeyHealthInterval 0\n");

    // systemd's RuntimeDirectory= and StateDirectory= (the unit's modes), owned by User=inkan.
    DebPackage.inkanDir(RUN, "0755");
    DebPackage.inkanDir(STATE, "0750");
    return DebPackage.asInkan(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("serve.log").toFile())
        .start();
  }

  private void awaitSocket(Process daemon, Path socket) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!MtaSimulator.accepts(socket)) {
      assertThat(daemon.isAlive()).as("inkan serve exited: %s", log()).isTrue();
      assertThat(System.nanoTime()).as("no socket after 120 s: %s", log()).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** dkimpy's verdict on {@code signed} with the key record inkan genkey wrote: 0 is a pass. */
  private int dkimpyVerify(Path python, String signed) throws Exception {
    Path dns =
        Files.writeString(
            dir.resolve("dns"),
            "default._domainkey.example.com\t" + txtValue(KEYS.resolve("default.txt")) + "\n");
    Path in = Files.writeString(dir.resolve("signed.eml"), signed, ISO_8859_1);
    Path out = dir.resolve("dkimpy.out");
    Path tool = Prerequisites.repoDir().resolve("ops/interop/dkimpy_tool.py");
    Process p =
        new ProcessBuilder(python.toString(), tool.toString(), "verify", "--dns", dns.toString())
            .redirectInput(in.toFile())
            .redirectOutput(out.toFile())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("dkimpy_tool.py verify finished").isTrue();
    assertThat(p.exitValue()).as(Files.readString(out, ISO_8859_1)).isLessThan(2);
    return p.exitValue();
  }

  /** The TXT record of a {@code SELECTOR.txt} zone-file snippet: its quoted strings joined. */
  private static String txtValue(Path txt) throws IOException {
    StringBuilder value = new StringBuilder();
    Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(Files.readString(txt));
    while (m.find()) {
      value.append(m.group(1));
    }
    return value.toString();
  }

  private static boolean userExists() throws InterruptedException {
    try {
      DebPackage.run(Duration.ofMinutes(1), "getent", "passwd", "inkan");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private String log() throws IOException {
    Path log = dir.resolve("serve.log");
    return Files.exists(log) ? Files.readString(log, ISO_8859_1) : "(no log)";
  }
}
