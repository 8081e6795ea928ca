package io.inkan.cache;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A private memcached ({@code /usr/bin/memcached}, Debian package {@code memcached}) on a free
 * loopback port, for tests: start, kill, restart on the same port, suspend and resume (SIGSTOP,
 * SIGCONT), and read its counters over the text protocol. (The cache module's tests have the same
 * harness; server tests cannot see it.)
 */
public final class MemcachedProcess implements AutoCloseable {
  public static final Path BINARY = Path.of("/usr/bin/memcached");

  private final int port;
  private final Path log;
  private volatile Process process;

  private MemcachedProcess(int port, Path log) {
    this.port = port;
    this.log = log;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (process != null) {
                    process.destroyForcibly();
                  }
                }));
  }

  /** Skips (fails on CI) unless memcached is installed. */
  public static void requireInstalled() {
    TestPrerequisites.require(
        Files.isExecutable(BINARY), "memcached (" + BINARY + ", Debian package memcached)");
  }

  /** Starts one on a free loopback port and waits until it accepts connections. */
  public static MemcachedProcess start() throws IOException, InterruptedException {
    requireInstalled();
    MemcachedProcess m =
        new MemcachedProcess(freePort(), Files.createTempFile("memcached", ".log"));
    m.launch();
    return m;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void launch() throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY.toString(),
                "-l",
                "127.0.0.1",
                "-p",
                String.valueOf(port),
                "-U",
                "0",
                "-m",
                "16",
                "-t",
                "2"));
    if ("root".equals(System.getProperty("user.name"))) {
      cmd.addAll(List.of("-u", "root"));
    }
    process =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException(
            "memcached on port " + port + " exited: " + Files.readString(log).strip());
      }
      try (Socket s = new Socket()) {
        s.connect(address(), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(20);
      }
    }
    throw new IOException("memcached on port " + port + " did not start within 10 s");
  }

  public int port() {
    return port;
  }

  public InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", port);
  }

  /** SIGKILL, and wait until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts a fresh (empty) memcached on the same port. */
  public void restart() throws IOException, InterruptedException {
    kill();
    launch();
  }

  public void suspend() throws IOException, InterruptedException {
    signal("-STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String sig) throws IOException, InterruptedException {
    // The shell's built-in kill: procps may be missing from a slim image.
    Process p = new ProcessBuilder("/bin/sh", "-c", "kill " + sig + " " + process.pid()).start();
    if (p.waitFor() != 0) {
      throw new IOException("kill " + sig + " " + process.pid() + " failed");
    }
  }

  /** The server's {@code stats} counters. */
  public Map<String, String> stats() throws IOException {
    Map<String, String> out = new HashMap<>();
    for (String line : command("stats\r\n", "END").split("\r\n")) {
      String[] parts = line.split(" ", 3);
      if (parts.length == 3 && parts[0].equals("STAT")) {
        out.put(parts[1], parts[2]);
      }
    }
    return out;
  }

  public long currItems() throws IOException {
    return Long.parseLong(stats().get("curr_items"));
  }

  /** Whether this server holds {@code key}. */
  public boolean holds(String key) throws IOException {
    return command("get " + key + "\r\n", "END").startsWith("VALUE ");
  }

  private String command(String request, String terminator) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(address(), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder reply = new StringBuilder();
      byte[] buf = new byte[8192];
      while (!reply.toString().endsWith(terminator + "\r\n")) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        reply.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
      }
      return reply.toString();
    }
  }

  @Override
  public void close() {
    if (process != null) {
      resumeQuietly();
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void resumeQuietly() {
    try {
      resume();
    } catch (IOException | InterruptedException ignored) {
      // already gone
    }
  }
}
