package io.inkan.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.inkan.testing.Prerequisites;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syslog through libc: a private rsyslogd (Debian package {@code rsyslog}) owns {@code /dev/log}
 * for the test and writes every line with its facility and severity to a file; a child JVM installs
 * {@link LibcSyslogAppender} and logs. Needs root (to create {@code /dev/log}) and a machine where
 * no other syslog daemon owns that socket.
 */
class SyslogTest {
  private static final Path DEV_LOG = Paths.get("/dev/log");
  private static final Path RSYSLOGD = Paths.get("/usr/sbin/rsyslogd");

  @Test
  void levelsMapToSyslogPriorities() {
    assertThat(Syslog.priority(Level.ERROR)).isEqualTo(3);
    assertThat(Syslog.priority(Level.WARN)).isEqualTo(4);
    assertThat(Syslog.priority(Level.INFO)).isEqualTo(6);
    assertThat(Syslog.priority(Level.DEBUG)).isEqualTo(7);
    assertThat(Syslog.priority(Level.TRACE)).isEqualTo(7);
  }

  @Test
  void facilityNamesMapToGlibcCodes() {
    assertThat(Syslog.facility("mail")).isEqualTo(2 << 3);
    assertThat(Syslog.facility("daemon")).isEqualTo(3 << 3);
    assertThat(Syslog.facility("user")).isEqualTo(1 << 3);
    assertThat(Syslog.facility("LOCAL0")).isEqualTo(16 << 3);
    assertThat(Syslog.facility("local7")).isEqualTo(23 << 3);
    assertThatThrownBy(() -> Syslog.facility("mial")).hasMessageContaining("mial");
  }

  @Test
  void linesReachRsyslogWithTagFacilityAndSeverity(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("all.log");
    try (PrivateRsyslog ignored = PrivateRsyslog.start(dir, out)) {
      String token = UUID.randomUUID().toString();
      Process child = childJava(SyslogTest.class.getName(), token).start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
      assertThat(child.exitValue()).as(output).isZero();
      assertThat(output).as("stderr is dropped once syslog is on").doesNotContain(token);
      String tag = "inkan[" + child.pid() + "]:";
      String[] expected = {
        "mail.info " + tag + " info " + token,
        "mail.warning " + tag + " warn " + token,
        "mail.err " + tag + " error " + token + ": java.lang.IllegalStateException: boom",
      };
      waitFor(() -> read(out).contains(expected[2]));
      assertThat(read(out)).contains(expected).doesNotContain("debug " + token);
    }
  }

  @Test
  void serveWithSyslogYesLogsToItsFacility(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("all.log");
    try (PrivateRsyslog ignored = PrivateRsyslog.start(dir, out)) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      Path conf =
          Files.writeString(
              dir.resolve("inkan.conf"),
              "Mode v\nSocket inet:" + port + "@127.0.0.1\nSyslog yes\nSyslogFacility local3\n");
      Path console = dir.resolve("serve.out");
      Process serve =
          childJava("io.inkan.cli.InkanMain", "serve", "-x", conf.toString())
              .redirectOutput(console.toFile())
              .start();
      String tag = "local3.info inkan[" + serve.pid() + "]:";
      try {
        waitFor(() -> read(out).contains(tag + " inkan serving on") || !serve.isAlive());
        assertThat(read(out)).contains(tag + " inkan serving on");
      } finally {
        serve.destroy();
        assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(read(console)).doesNotContain("inkan serving on");
      waitFor(() -> read(out).contains(tag + " inkan stopped"));
      assertThat(read(out)).contains(tag + " inkan stopped");
    }
  }

  /** Runs in the child JVM: syslog on facility mail, then one line per level. */
  public static void main(String[] args) {
    String token = args[0];
    if (!LibcSyslogAppender.installOnRoot("mail")) {
      System.out.println("installOnRoot failed");
      System.exit(1);
    }
    Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
    ((ch.qos.logback.classic.Logger) root).setLevel(Level.INFO);
    Logger log = LoggerFactory.getLogger(SyslogTest.class);
    log.debug("debug {}", token);
    log.info("info {}", token);
    log.warn("warn {}", token);
    log.error("error {}", token, new IllegalStateException("boom"));
  }

  private static ProcessBuilder childJava(String... mainAndArgs) {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    List<String> command =
        new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path")));
    command.addAll(List.of(mainAndArgs));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }

  /**
   * {@code rsyslogd -n} with its own configuration: imuxsock on {@code /dev/log}, every line with
   * facility and severity to {@code out}. Skips unless root and {@code /dev/log} is free; removes
   * the socket when closed.
   */
  private static final class PrivateRsyslog implements AutoCloseable {
    private final Process process;

    private PrivateRsyslog(Process process) {
      this.process = process;
    }

    static PrivateRsyslog start(Path dir, Path out) throws Exception {
      Assumptions.assumeTrue(
          "root".equals(System.getProperty("user.name")), "needs root to create /dev/log");
      Prerequisites.require(Files.isExecutable(RSYSLOGD), "rsyslogd (Debian package rsyslog)");
      Assumptions.assumeFalse(
          Files.exists(DEV_LOG, LinkOption.NOFOLLOW_LINKS),
          "/dev/log exists: another syslog daemon owns it; skipping");
      Path conf = dir.resolve("rsyslog.conf");
      Files.writeString(
          conf,
          "global(workDirectory=\""
              + dir
              + "\")\n"
              + "module(load=\"imuxsock\" SysSock.Name=\"/dev/log\""
              + " SysSock.RateLimit.Interval=\"0\")\n"
              + "template(name=\"withPri\" type=\"string\""
              + " string=\"%syslogfacility-text%.%syslogseverity-text% %syslogtag%%msg%\\n\")\n"
              + "*.* action(type=\"omfile\" file=\""
              + out
              + "\" template=\"withPri\")\n");
      Path log = dir.resolve("rsyslogd.out");
      Process p =
          new ProcessBuilder(
                  RSYSLOGD.toString(),
                  "-n",
                  "-f",
                  conf.toString(),
                  "-i",
                  dir.resolve("rsyslogd.pid").toString())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      PrivateRsyslog r = new PrivateRsyslog(p);
      try {
        waitFor(() -> Files.exists(DEV_LOG, LinkOption.NOFOLLOW_LINKS) || !p.isAlive());
        assertThat(Files.exists(DEV_LOG, LinkOption.NOFOLLOW_LINKS))
            .as("rsyslogd created /dev/log: %s", read(log))
            .isTrue();
        return r;
      } catch (Throwable t) {
        r.close();
        throw t;
      }
    }

    @Override
    public void close() throws Exception {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Files.deleteIfExists(DEV_LOG);
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void waitFor(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!check.ok() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  private static String read(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
