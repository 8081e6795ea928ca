package io.inkan.runtime;

import io.inkan.milter.Malformed;
import io.inkan.milter.MilterCommand;
import io.inkan.milter.MilterCommandParser;
import io.inkan.milter.MilterFrame;
import io.inkan.milter.MilterFrameDecoder;
import io.inkan.milter.MilterReply;
import io.inkan.milter.MilterReplyEncoder;
import io.inkan.milter.MilterSession;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MTA connection: socket bytes → {@link MilterFrameDecoder} → {@link MilterCommandParser} →
 * {@link MilterSession}, and each reply back in one write. Runs on the connection's event loop.
 *
 * <p>Order: while an end-of-message answer is pending the socket is paused and frames already
 * decoded wait in a queue, so commands are handled strictly in arrival order. The answer comes back
 * to the event loop; if it is not there within the message deadline the MTA gets tempfail at once
 * and the late answer is dropped. A protocol violation or a client that stalls mid-frame closes the
 * connection with one log line.
 *
 * <p>The decoder's limit follows {@link MilterSession#maxPayloadSize()} after every outcome; frames
 * that arrived in the same read as the {@code O} command were decoded under the old (smaller)
 * limit, which is harmless because an MTA sends nothing before the negotiation reply.
 */
final class MilterConnection {
  private static final Logger LOG = LoggerFactory.getLogger(MilterConnection.class);
  private static final Buffer TEMPFAIL =
      Buffer.buffer(MilterReplyEncoder.encode(new MilterReply.Tempfail()));

  private final Vertx vertx;
  private final Context context;
  private final NetSocket socket;
  private final String peer;
  private final MilterSession session;
  private final MilterServerOptions options;
  private final MilterMetrics metrics;
  private final MilterFrameDecoder decoder = new MilterFrameDecoder();
  private final ArrayDeque<MilterFrameDecoder.Decoded> queue = new ArrayDeque<>();
  private final Promise<Void> closed = Promise.promise();
  private long messages;
  private long pendingMessage;
  private long deadlineTimer = -1;
  private long stallTimer = -1;
  private long lastInput = System.nanoTime();
  private boolean ending;
  private boolean draining;

  /** Call on the socket's event loop; {@link #start()} wires the socket. */
  MilterConnection(
      Vertx vertx,
      NetSocket socket,
      String peer,
      MilterSession session,
      MilterServerOptions options,
      MilterMetrics metrics) {
    this.metrics = metrics;
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.socket = socket;
    this.peer = peer;
    this.session = session;
    this.options = options;
  }

  void start() {
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.exceptionHandler(e -> LOG.debug("milter connection {}: {}", peer, e.toString()));
    socket.shutdownHandler(v -> drain());
  }

  /** Completes when the socket has closed and the session was told. */
  Future<Void> closed() {
    return closed.future();
  }

  /** Closes now (after a graceful stop's grace period); completes like {@link #closed()}. */
  Future<Void> forceClose() {
    context.runOnContext(v -> end());
    return closed();
  }

  String peer() {
    return peer;
  }

  /** Close as soon as no message is in flight (graceful stop). */
  void drain() {
    draining = true;
    closeIfIdle();
  }

  private void onData(Buffer data) {
    if (ending) {
      return;
    }
    lastInput = System.nanoTime();
    queue.addAll(decoder.feed(data.getBytes()));
    process();
    if (!ending && !decoder.isIdle() && stallTimer == -1) {
      stallTimer = vertx.setTimer(options.stallTimeout().toMillis(), id -> checkStall());
    }
  }

  private void process() {
    while (!ending && pendingMessage == 0 && !queue.isEmpty()) {
      MilterFrameDecoder.Decoded d = queue.poll();
      MilterCommandParser.Parsed parsed =
          d instanceof MilterFrame f ? MilterCommandParser.parse(f) : (Malformed) d;
      long t0 = System.nanoTime();
      MilterSession.Outcome outcome = session.handle(parsed);
      metrics.stage(stage(parsed), System.nanoTime() - t0);
      decoder.setMaxPayloadSize(session.maxPayloadSize());
      if (outcome instanceof MilterSession.Reply r) {
        write(r);
      } else if (outcome instanceof MilterSession.Pending p) {
        await(p);
      } else if (outcome instanceof MilterSession.Quit) {
        LOG.debug("milter connection {}: quit", peer);
        end();
      } else if (outcome instanceof MilterSession.Close c) {
        metrics.protocolError("protocol");
        fail(c.reason());
      }
    }
    closeIfIdle();
  }

  private void write(MilterSession.Reply r) {
    r.problem().ifPresent(p -> LOG.warn("milter connection {}: {}", peer, p));
    socket.write(Buffer.buffer(r.bytes()));
  }

  private void await(MilterSession.Pending p) {
    long id = ++messages;
    long started = System.nanoTime();
    pendingMessage = id;
    socket.pause();
    long deadline = options.messageDeadline().toMillis();
    deadlineTimer =
        vertx.setTimer(
            deadline,
            t -> {
              if (pendingMessage == id && !ending) {
                LOG.warn(
                    "milter connection {}: no end-of-message answer within {} ms, answered tempfail",
                    peer,
                    deadline);
                socket.write(TEMPFAIL.copy());
                metrics.endOfMessage("deadline", System.nanoTime() - started);
                answered();
              }
            });
    p.reply()
        .whenComplete(
            (reply, ex) ->
                context.runOnContext(
                    v -> {
                      if (pendingMessage != id || ending) {
                        LOG.debug("milter connection {}: late answer dropped", peer);
                        return;
                      }
                      vertx.cancelTimer(deadlineTimer);
                      if (reply == null) {
                        LOG.warn("milter connection {}: end-of-message failed: {}", peer, ex);
                        socket.write(TEMPFAIL.copy());
                      } else {
                        write(reply);
                      }
                      metrics.endOfMessage(
                          reply == null ? "failed" : "answered", System.nanoTime() - started);
                      answered();
                    }));
  }

  private void answered() {
    pendingMessage = 0;
    deadlineTimer = -1;
    lastInput = System.nanoTime();
    process();
    if (!ending && pendingMessage == 0) {
      socket.resume();
    }
  }

  private void checkStall() {
    stallTimer = -1;
    if (ending || decoder.isIdle()) {
      return;
    }
    long limit = options.stallTimeout().toNanos();
    long idle = System.nanoTime() - lastInput;
    if (pendingMessage == 0 && idle >= limit) {
      metrics.protocolError("stalled");
      fail("client stalled mid-frame for " + TimeUnit.NANOSECONDS.toMillis(idle) + " ms");
    } else {
      long wait = pendingMessage == 0 ? limit - idle : limit;
      stallTimer =
          vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), id -> checkStall());
    }
  }

  /** The stage name of a command, for {@link MilterMetrics#stage}. */
  static String stage(MilterCommandParser.Parsed parsed) {
    if (!(parsed instanceof MilterCommand c)) {
      return "malformed";
    }
    return switch (c.code()) {
      case 'O' -> "negotiate";
      case 'C' -> "connect";
      case 'H' -> "helo";
      case 'M' -> "mail";
      case 'R' -> "rcpt";
      case 'T' -> "data";
      case 'L' -> "header";
      case 'N' -> "eoh";
      case 'B' -> "body";
      case 'E' -> "eom";
      case 'A' -> "abort";
      case 'D' -> "macro";
      case 'Q', 'K' -> "quit";
      default -> "unknown";
    };
  }

  private void closeIfIdle() {
    if (draining
        && !ending
        && pendingMessage == 0
        && queue.isEmpty()
        && decoder.isIdle()
        && !inTransaction(session.state())) {
      LOG.debug("milter connection {}: closed for shutdown", peer);
      end();
    }
  }

  private static boolean inTransaction(MilterSession.State s) {
    return s.ordinal() >= MilterSession.State.MAIL.ordinal()
        && s.ordinal() <= MilterSession.State.BODY.ordinal();
  }

  private void fail(String reason) {
    LOG.warn("milter connection {} closed: {}", peer, reason);
    end();
  }

  private void end() {
    if (ending) {
      return;
    }
    ending = true;
    cancelTimers();
    queue.clear();
    socket.close();
  }

  private void onClosed() {
    ending = true;
    cancelTimers();
    queue.clear();
    pendingMessage = 0;
    if (session.state() != MilterSession.State.CLOSED) {
      // Tells the handler: abort of a running transaction, then close.
      session.handle(new MilterCommand.Quit());
    }
    closed.tryComplete();
  }

  private void cancelTimers() {
    if (deadlineTimer != -1) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    if (stallTimer != -1) {
      vertx.cancelTimer(stallTimer);
      stallTimer = -1;
    }
  }
}
