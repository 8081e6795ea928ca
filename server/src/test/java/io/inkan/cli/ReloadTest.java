package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.testing.MtaSimulator;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running {@code inkan serve} (its own JVM) re-reads its configuration and tables on {@code inkan
 * reload} (SIGUSR1) and on SIGHUP, keeps its connections, and keeps the old tables when the new
 * ones do not validate.
 */
class ReloadTest {
  static final String MESSAGE =
      "From: alice@example.com\r\nTo: bob@example.org\r\nSubject: hi\r\n\r\nHello.\r\n";

  @TempDir Path dir;

  @Test
  void reloadSwapsTablesAndKeepsTheOldOnesWhenTheNewOnesAreBroken() throws Exception {
    Path key = dir.resolve("rsa.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Path keys = Files.writeString(dir.resolve("keys"), "k example.com:one:" + key + "\n");
    Files.writeString(dir.resolve("signing"), "example.com k\n");
    Path socket = dir.resolve("inkan.sock");
    Path pidFile = dir.resolve("inkan.pid");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"),
            "Socket local:"
                + socket
                + "\nPidFile "
                + pidFile
                + "\nKeyTable file:"
                + keys
                + "\nSigningTable file:"
                + dir.resolve("signing")
                + "\n");
    Path log = dir.resolve("serve.log");
    Process serve = ServeProcess.start(conf, log);
    try {
      await(() -> Files.exists(pidFile) && MtaSimulator.accepts(socket), log);
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        assertThat(signature(mta)).contains("s=one;");

        Files.writeString(keys, "k example.com:two:" + key + "\n");
        CliRunner.Result r = CliRunner.run(new byte[0], "reload", "-x", conf.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        await(() -> read(log).contains("reloaded (SIGUSR1)"), log);
        // the same connection now signs with the new table
        assertThat(signature(mta)).contains("s=two;");

        Files.writeString(keys, "k example.com:three\n"); // no key: does not validate
        new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).start().waitFor();
        await(() -> read(log).contains("reload failed; keeping the running configuration"), log);
        assertThat(read(log)).contains("keys:1");
        assertThat(signature(mta)).contains("s=two;");
      }
    } finally {
      serve.destroy();
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(serve.exitValue()).as(read(log)).isZero();
  }

  @Test
  void reloadWithoutARunningDaemonFails() throws Exception {
    Path pidFile = Files.writeString(dir.resolve("inkan.pid"), "999999999\n");
    Path conf =
        Files.writeString(
            dir.resolve("inkan.conf"), "Mode v\nSocket local:/tmp/x\nPidFile " + pidFile + "\n");
    CliRunner.Result r = CliRunner.run(new byte[0], "reload", "-x", conf.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("is not a running inkan serve");
    Path noPid = Files.writeString(dir.resolve("nopid.conf"), "Mode v\n");
    assertThat(CliRunner.run(new byte[0], "reload", "-x", noPid.toString()).exit()).isEqualTo(78);
  }

  private static String signature(MtaSimulator mta) throws Exception {
    for (MtaSimulator.Reply reply : mta.message(MESSAGE)) {
      String[] h = reply.command() == 'i' || reply.command() == 'h' ? reply.header() : null;
      if (h != null && h[0].equals("DKIM-Signature")) {
        return h[1];
      }
    }
    throw new AssertionError("no DKIM-Signature inserted");
  }

  private static void await(BooleanSupplier done, Path log) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting; log: %s", read(log)).isLessThan(end);
      Thread.sleep(50);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
