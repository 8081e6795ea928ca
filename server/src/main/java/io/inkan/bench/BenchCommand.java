package io.inkan.bench;

import io.inkan.config.ConfigException;
import io.inkan.config.ConfigLine;
import io.inkan.config.SocketSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inkan bench}: drives a running milter (Inkan, OpenDKIM, any libmilter filter) as an MTA
 * would, over N connections at once, and reports messages/s, latency percentiles, final verdicts
 * and added header fields.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Sends one message file through a running milter over N connections, back to back, and"
          + " prints messages/s, latency p50/p99/max, final verdicts and added header fields.",
      "Each connection negotiates once (version 6, every action and step offered), connects"
          + " once from --client-ip, then runs one transaction per message.",
      "Exit status: 0 every message got a verdict, 1 some did not, 2 usage or I/O error."
    })
public final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--socket",
      required = true,
      paramLabel = "SPEC",
      description =
          "The filter's socket: inet:PORT@HOST, inet6:PORT@HOST, local:/path, unix:/path.")
  String socket;

  @Option(
      names = "--conns",
      defaultValue = "1",
      paramLabel = "N",
      description = "Connections, each on its own thread (default: ${DEFAULT-VALUE}).")
  int conns;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Amount amount;

  /** How much to send: a message count per connection, or a time. */
  static final class Amount {
    @Option(names = "--messages", paramLabel = "M", description = "Messages per connection.")
    Long messages;

    @Option(
        names = "--duration",
        paramLabel = "SECONDS",
        description = "Send until this many seconds have passed; messages under way complete.")
    Double duration;
  }

  @Option(
      names = "--message",
      required = true,
      paramLabel = "FILE",
      description = "The message to send (LF or CRLF line ends).")
  Path messageFile;

  @Option(
      names = "--client-ip",
      defaultValue = "127.0.0.1",
      paramLabel = "IP",
      description = "The SMTP client's address sent at connect (default: ${DEFAULT-VALUE}).")
  String clientIp;

  @Option(
      names = "--auth",
      paramLabel = "USER",
      description = "Send {auth_authen}=USER with every message (an authenticated sender).")
  String auth;

  @Option(
      names = "--domains",
      paramLabel = "N",
      description = "Spread senders: message K's From domain becomes dJ.<domain>, J = K mod N.")
  Integer domains;

  public static void main(String[] args) {
    System.exit(
        new CommandLine(new BenchCommand())
            .setExecutionExceptionHandler(
                (e, cmd, parsed) -> {
                  cmd.getErr().println("inkan bench: " + e.getMessage());
                  return 2;
                })
            .execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    SocketSpec target = parseSocket();
    if (conns < 1 || conns > 10_000) {
      throw usage("--conns: " + conns + " (expected: 1 to 10000)");
    }
    if (amount.messages != null && amount.messages < 1) {
      throw usage("--messages: " + amount.messages + " (expected: >= 1)");
    }
    if (amount.duration != null && !(amount.duration > 0)) {
      throw usage("--duration: " + amount.duration + " (expected: > 0)");
    }
    if (domains != null && domains < 1) {
      throw usage("--domains: " + domains + " (expected: >= 1)");
    }
    BenchMessage message = BenchMessage.read(messageFile);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(
        "target: %s conns=%d %s%n",
        socket,
        conns,
        amount.messages != null
            ? "messages/conn=" + amount.messages
            : "duration=" + amount.duration + "s");
    out.flush();
    Run run = new Run(target, message);
    long cpuBefore = processCpuNanos();
    BenchReport total = run.execute();
    long cpuAfter = processCpuNanos();
    total.print(out, run.seconds);
    if (cpuBefore >= 0 && cpuAfter >= 0) {
      // the client shares the machine with the filter: say how much of it the client took
      out.printf(Locale.ROOT, "client_cpu_s: %.2f%n", (cpuAfter - cpuBefore) / 1e9);
      out.flush();
    }
    if (run.error.get() != null) {
      spec.commandLine().getErr().println("inkan bench: first error: " + run.error.get());
    }
    return total.verdicts(Verdict.NONE) == 0 && total.completed() > 0 ? 0 : 1;
  }

  /** This JVM's CPU time in nanoseconds, or -1 where the platform does not tell. */
  private static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }

  private SocketSpec parseSocket() {
    try {
      return SocketSpec.parse(new ConfigLine("Socket", "--socket", socket, "command line", 0));
    } catch (ConfigException e) {
      throw usage("--socket: " + socket + " (expected: " + SocketSpec.EXPECTED + ")");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** One run: a thread per connection, started together, timed from the moment all are open. */
  private final class Run {
    final SocketSpec target;
    final BenchMessage message;
    final AtomicLong sequence = new AtomicLong();
    final AtomicReference<String> error = new AtomicReference<>();
    final List<String> macros = auth == null ? List.of() : List.of("{auth_authen}", auth);
    volatile long startNanos;
    volatile long deadline;
    double seconds;

    Run(SocketSpec target, BenchMessage message) {
      this.target = target;
      this.message = message;
    }

    BenchReport execute() throws InterruptedException {
      CyclicBarrier ready =
          new CyclicBarrier(
              conns,
              () -> {
                startNanos = System.nanoTime();
                deadline =
                    amount.duration == null
                        ? Long.MAX_VALUE
                        : startNanos + (long) (amount.duration * 1e9);
              });
      BenchReport[] reports = new BenchReport[conns];
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < conns; c++) {
        int index = c;
        reports[c] = new BenchReport();
        Thread t = new Thread(() -> connection(ready, reports[index]), "bench-" + c);
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
      seconds = (System.nanoTime() - startNanos) / 1e9;
      BenchReport total = new BenchReport();
      for (BenchReport r : reports) {
        total.add(r);
      }
      return total;
    }

    private void connection(CyclicBarrier ready, BenchReport report) {
      MilterLoadClient client = null;
      try {
        client = session();
      } catch (IOException e) {
        error.compareAndSet(null, e.toString());
      }
      try {
        ready.await();
      } catch (Exception e) {
        Thread.currentThread().interrupt();
        return;
      }
      long perConnection = amount.messages == null ? Long.MAX_VALUE : amount.messages;
      for (long i = 0; i < perConnection && System.nanoTime() < deadline; i++) {
        long started = System.nanoTime();
        try {
          if (client == null) {
            client = MilterLoadClient.open(target);
            Optional<Verdict> atConnect = client.start(clientIp);
            if (atConnect.isPresent()) {
              report.record(
                  System.nanoTime() - started,
                  new MilterLoadClient.Result(atConnect.get(), List.of()));
              client.close();
              client = null;
              continue;
            }
          }
          long k = sequence.getAndIncrement();
          List<BenchMessage.Header> headers =
              domains == null
                  ? message.headers()
                  : message.headersWithFromPrefix("d" + (k % domains) + ".");
          MilterLoadClient.Result r = client.message(headers, message, macros);
          report.record(System.nanoTime() - started, r);
        } catch (IOException e) {
          error.compareAndSet(null, e.toString());
          report.failed();
          if (client == null) {
            // cannot (re)connect: the rest of this connection's messages get no verdict
            for (long j = i + 1; j < perConnection && amount.messages != null; j++) {
              report.failed();
            }
            break;
          }
          client.close();
          client = null;
        }
      }
      if (client != null) {
        client.close();
      }
    }

    /** Opens and connects a session; null if the filter answered the connect with a verdict. */
    private MilterLoadClient session() throws IOException {
      MilterLoadClient c = MilterLoadClient.open(target);
      try {
        if (c.start(clientIp).isPresent()) {
          c.close();
          return null;
        }
        return c;
      } catch (IOException e) {
        c.close();
        throw e;
      }
    }
  }
}
