package io.inkan.runtime.cluster;

import io.inkan.testing.MtaSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Messages sent without pause through front-ends by a few connections each, every verdict recorded
 * with its time: signed (a DKIM-Signature inserted, then continue or accept), tempfailed, or
 * accepted unsigned — which must never happen to mail that should be signed.
 */
final class LoadRun {
  enum Verdict {
    SIGNED,
    TEMPFAIL,
    UNSIGNED,
    ERROR
  }

  record Outcome(long at, Verdict verdict) {}

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();

  static LoadRun start(List<Path> sockets, String message, int connectionsEach) {
    LoadRun run = new LoadRun();
    for (Path socket : sockets) {
      for (int i = 0; i < connectionsEach; i++) {
        Thread t = new Thread(() -> run.loop(socket, message), "load-" + socket.getFileName());
        t.setDaemon(true);
        t.start();
        run.threads.add(t);
      }
    }
    return run;
  }

  private void loop(Path socket, String message) {
    while (running.get()) {
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        while (running.get()) {
          List<MtaSimulator.Reply> replies = mta.message(message);
          outcomes.add(new Outcome(System.nanoTime(), verdict(replies)));
          if (replies.get(replies.size() - 1).command() == 't') {
            break; // the MTA would open a new connection
          }
        }
      } catch (IOException e) {
        outcomes.add(new Outcome(System.nanoTime(), Verdict.ERROR));
      }
    }
  }

  private static Verdict verdict(List<MtaSimulator.Reply> replies) {
    char last = replies.get(replies.size() - 1).command();
    if (last == 't') {
      return Verdict.TEMPFAIL;
    }
    boolean signed =
        replies.stream()
            .anyMatch(r -> r.command() == 'i' && r.insertedHeader()[0].equals("DKIM-Signature"));
    return signed && (last == 'c' || last == 'a') ? Verdict.SIGNED : Verdict.UNSIGNED;
  }

  long signedSoFar() {
    return outcomes.stream().filter(o -> o.verdict() == Verdict.SIGNED).count();
  }

  Tally stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(30_000);
    }
    return new Tally(List.copyOf(outcomes));
  }

  record Tally(List<Outcome> outcomes) {
    long count(Verdict v) {
      return outcomes.stream().filter(o -> o.verdict() == v).count();
    }

    long signed() {
      return count(Verdict.SIGNED);
    }

    long tempfailed() {
      return count(Verdict.TEMPFAIL);
    }

    long unsigned() {
      return count(Verdict.UNSIGNED);
    }

    long errors() {
      return count(Verdict.ERROR);
    }

    long signedAfter(long nanos) {
      return outcomes.stream().filter(o -> o.verdict() == Verdict.SIGNED && o.at() > nanos).count();
    }

    /** From the first tempfail to the last; zero without any. */
    Duration tempfailWindow() {
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Outcome o : outcomes) {
        if (o.verdict() == Verdict.TEMPFAIL) {
          first = Math.min(first, o.at());
          last = Math.max(last, o.at());
        }
      }
      return first == Long.MAX_VALUE ? Duration.ZERO : Duration.ofNanos(last - first);
    }
  }
}
