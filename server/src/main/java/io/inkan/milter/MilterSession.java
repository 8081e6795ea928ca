package io.inkan.milter;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One milter session's state machine (libmilter {@code engine.c}): negotiate, connect, helo*, then
 * transactions (mail, rcpt+, data, header*, eoh, body*, eom) repeated, then quit. Fed one command
 * at a time on the connection's thread, it answers with an {@link Outcome}: replies to write,
 * nothing, a pending end-of-message reply, quit, or close for a protocol violation.
 *
 * <p>Order rules: a step may be left out when the MTA was asked not to send it ({@code NO*}) or
 * when it is optional by nature (HELO, DATA for MTAs before v4, headers, body); anything else out
 * of order closes the session. As libmilter does, {@code A} outside a transaction is ignored, and
 * {@code H} or {@code M} inside one abandons that transaction first (Postfix sends HELO after MAIL
 * then abort).
 *
 * <p>After a {@link Pending} outcome the caller feeds no further command until it completed (the
 * MTA waits for the end-of-message reply anyway). After every outcome the caller should apply
 * {@link #maxPayloadSize()} to its frame decoder.
 */
public final class MilterSession {
  /** Where the session is. */
  public enum State {
    /** Waiting for {@code O}. */
    NEGOTIATE,
    /** Negotiated, waiting for {@code C}. */
    CONNECT,
    /** Outside a transaction (after connect, helo, end of message or abort). */
    READY,
    MAIL,
    RCPT,
    DATA,
    HEADERS,
    END_OF_HEADERS,
    BODY,
    /** Quit or closed; every further command is refused. */
    CLOSED
  }

  /**
   * Limits and fallbacks.
   *
   * @param maxHeaderBytes largest header block of one message (name, colon, value, CRLF summed)
   * @param onHandlerFailure the verdict when the end-of-message handler fails or answers wrongly
   */
  public record Settings(long maxHeaderBytes, MilterReply.Final onHandlerFailure) {
    public static final Settings DEFAULT = new Settings(1024 * 1024, new MilterReply.Tempfail());

    public Settings {
      if (maxHeaderBytes < 1) {
        throw new IllegalArgumentException(
            "maxHeaderBytes: " + maxHeaderBytes + " (expected: >= 1)");
      }
      Objects.requireNonNull(onHandlerFailure, "onHandlerFailure");
    }
  }

  /** What to do after a command. */
  public sealed interface Outcome permits Reply, NoReply, Pending, Quit, Close {}

  /**
   * Write these replies in one write.
   *
   * @param problem why a fallback verdict replaced the handler's answer, to be logged
   */
  public record Reply(List<MilterReply> replies, Optional<String> problem) implements Outcome {
    public Reply {
      replies = List.copyOf(replies);
    }

    public Reply(List<MilterReply> replies) {
      this(replies, Optional.empty());
    }

    /** The replies encoded, ready for one write. */
    public byte[] bytes() {
      return MilterReplyEncoder.encode(replies);
    }
  }

  /** Nothing to write. */
  public record NoReply() implements Outcome {}

  /** The end-of-message replies, later; the stage never completes exceptionally. */
  public record Pending(CompletionStage<Reply> reply) implements Outcome {}

  /** The MTA quit: close the connection, nothing wrong. */
  public record Quit() implements Outcome {}

  /** A protocol violation: log the reason once and close the connection. */
  public record Close(String reason) implements Outcome {}

  private static final NoReply NO_REPLY = new NoReply();

  private final MilterHandler handler;
  private final Negotiation.Wants wants;
  private final Settings settings;
  private final MilterContext ctx = new MilterContext();
  private State state = State.NEGOTIATE;

  /** Right after K: the next command may be C (libmilter) or a new O. */
  private boolean renegotiable;

  public MilterSession(MilterHandler handler, Negotiation.Wants wants) {
    this(handler, wants, Settings.DEFAULT);
  }

  public MilterSession(MilterHandler handler, Negotiation.Wants wants, Settings settings) {
    this.handler = Objects.requireNonNull(handler, "handler");
    this.wants = Objects.requireNonNull(wants, "wants");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public State state() {
    return state;
  }

  public MilterContext context() {
    return ctx;
  }

  /** The largest frame payload now allowed: the negotiated one, else 65535. */
  public int maxPayloadSize() {
    Negotiation.Agreed a = ctx.negotiation();
    return a == null ? MilterFrameDecoder.DEFAULT_MAX_PAYLOAD : a.maxPayloadSize();
  }

  /** A parsed frame: a command, or a malformed one that closes the session. */
  public Outcome handle(MilterCommandParser.Parsed parsed) {
    if (parsed instanceof Malformed m) {
      return close(m.reason());
    }
    return handle((MilterCommand) parsed);
  }

  /** One command from the MTA. */
  public Outcome handle(MilterCommand command) {
    if (state == State.CLOSED) {
      return new Close(name(command) + " after the session ended");
    }
    try {
      return dispatch(command);
    } catch (RuntimeException e) {
      return close("handler failed at " + name(command) + ": " + e);
    }
  }

  private Outcome dispatch(MilterCommand command) {
    if (command instanceof MilterCommand.Negotiate o) {
      return negotiate(o);
    }
    if (command instanceof MilterCommand.Macros d) {
      MacroStage stage = MacroStage.ofCommand(d.stage());
      if (stage != null) {
        ctx.putMacros(stage, d.macros());
      }
      return NO_REPLY;
    }
    if (command instanceof MilterCommand.Quit) {
      endSession();
      return new Quit();
    }
    if (state == State.NEGOTIATE) {
      return close(name(command) + " before O (negotiate)");
    }
    if (command instanceof MilterCommand.QuitNewConnection) {
      // libmilter (engine.c, NX_Q_NC) expects C next on the same negotiation; an MTA that
      // negotiates again instead is let through (see negotiate)
      Negotiation.Agreed agreed = ctx.negotiation();
      endSession();
      ctx.reset();
      ctx.negotiated(agreed);
      state = State.CONNECT;
      renegotiable = true;
      return NO_REPLY;
    }
    if (command instanceof MilterCommand.Abort) {
      if (inTransaction()) {
        handler.onAbort(ctx);
        state = State.READY;
      }
      return NO_REPLY;
    }
    if (command instanceof MilterCommand.Unknown u) {
      return step(Step.UNKNOWN, handler.onUnknown(ctx, u.command()), true);
    }
    if (command instanceof MilterCommand.Connect c) {
      if (state != State.CONNECT) {
        return outOfOrder(command);
      }
      renegotiable = false;
      ctx.clearMacrosAfter(MacroStage.CONNECT);
      ctx.connected(c);
      state = State.READY;
      return step(Step.CONNECT, handler.onConnect(ctx), false);
    }
    if (command instanceof MilterCommand.Helo h) {
      if (!leaveTransaction()) {
        return outOfOrder(command);
      }
      ctx.clearMacrosAfter(MacroStage.HELO);
      ctx.helo(h.name());
      return step(Step.HELO, handler.onHelo(ctx, h.name()), false);
    }
    if (command instanceof MilterCommand.Mail m) {
      if (!leaveTransaction()) {
        return outOfOrder(command);
      }
      ctx.clearMacrosAfter(MacroStage.MAIL);
      ctx.beginTransaction(m.args());
      state = State.MAIL;
      return step(Step.MAIL, handler.onMail(ctx, m.args()), false);
    }
    return transaction(command);
  }

  private Outcome transaction(MilterCommand command) {
    State target = target(command);
    if (!reachable(target)) {
      return outOfOrder(command);
    }
    if (state == State.READY || state == State.CONNECT) {
      ctx.beginTransaction(List.of());
    }
    state = target;
    if (command instanceof MilterCommand.Rcpt r) {
      ctx.clearMacrosAfter(MacroStage.RCPT);
      ctx.addRecipient(r.args());
      return step(Step.RCPT, handler.onRcpt(ctx, r.args()), true);
    }
    if (command instanceof MilterCommand.Data) {
      return step(Step.DATA, handler.onData(ctx), false);
    }
    if (command instanceof MilterCommand.Header h) {
      long total = ctx.addHeaderBytes(h.name().length() + 1L + h.value().length() + 2);
      if (total > settings.maxHeaderBytes()) {
        return close(
            "headers of message "
                + ctx.messageNumber()
                + " exceed "
                + settings.maxHeaderBytes()
                + " bytes at header "
                + h.name());
      }
      return step(Step.HEADER, handler.onHeader(ctx, h.name(), h.value()), false);
    }
    if (command instanceof MilterCommand.EndOfHeaders) {
      return step(Step.EOH, handler.onEndOfHeaders(ctx), false);
    }
    if (command instanceof MilterCommand.BodyChunk b) {
      return step(Step.BODY, handler.onBody(ctx, b.chunk()), false);
    }
    return endOfMessage((MilterCommand.EndOfMessage) command);
  }

  private Outcome endOfMessage(MilterCommand.EndOfMessage e) {
    state = State.READY;
    if (e.lastChunk().length > 0) {
      MilterReply.StepReply r = handler.onBody(ctx, e.lastChunk());
      if (r instanceof MilterReply.Final f && !(f instanceof MilterReply.Continue)) {
        return new Reply(List.of(f));
      }
    }
    Negotiation.Agreed agreed = ctx.negotiation();
    MilterReply.Final fallback = settings.onHandlerFailure();
    CompletionStage<List<MilterReply>> result;
    try {
      result = Objects.requireNonNull(handler.onEndOfMessage(ctx), "onEndOfMessage returned null");
    } catch (RuntimeException ex) {
      result = CompletableFuture.failedFuture(ex);
    }
    return new Pending(
        result.handle(
            (replies, ex) -> {
              if (ex != null) {
                return new Reply(
                    List.of(fallback), Optional.of("end-of-message handler failed: " + ex));
              }
              String problem = EndOfMessageCheck.problem(replies, agreed);
              return problem == null
                  ? new Reply(replies)
                  : new Reply(List.of(fallback), Optional.of(problem));
            }));
  }

  private Outcome negotiate(MilterCommand.Negotiate offer) {
    if (state != State.NEGOTIATE && !(state == State.CONNECT && renegotiable)) {
      return outOfOrder(offer);
    }
    renegotiable = false;
    Negotiation.Result result = Negotiation.negotiate(offer, wants);
    if (result instanceof Negotiation.Refused refused) {
      return close("negotiation refused: " + refused.reason());
    }
    Negotiation.Agreed agreed = (Negotiation.Agreed) result;
    ctx.clearMacrosAfter(null);
    ctx.negotiated(agreed);
    state = State.CONNECT;
    return new Reply(List.of(agreed.reply()));
  }

  /** The state a transaction command leads to. */
  private static State target(MilterCommand c) {
    if (c instanceof MilterCommand.Rcpt) {
      return State.RCPT;
    } else if (c instanceof MilterCommand.Data) {
      return State.DATA;
    } else if (c instanceof MilterCommand.Header) {
      return State.HEADERS;
    } else if (c instanceof MilterCommand.EndOfHeaders) {
      return State.END_OF_HEADERS;
    } else if (c instanceof MilterCommand.BodyChunk) {
      return State.BODY;
    } else if (c instanceof MilterCommand.EndOfMessage) {
      return State.CLOSED; // stands for "end of message", after BODY
    }
    throw new AssertionError(c);
  }

  /** Can {@code target} follow the current state, leaving out only skippable steps? */
  private boolean reachable(State target) {
    State from = state;
    if (from == State.CONNECT) {
      if (!skippable(State.CONNECT)) {
        return false;
      }
      from = State.READY;
    }
    if (from.ordinal() < State.READY.ordinal() || from.ordinal() > State.BODY.ordinal()) {
      return false;
    }
    if (from == target) {
      return target == State.RCPT || target == State.HEADERS || target == State.BODY;
    }
    if (from.ordinal() > target.ordinal()) {
      return false;
    }
    for (int i = from.ordinal() + 1; i < target.ordinal(); i++) {
      if (!skippable(State.values()[i])) {
        return false;
      }
    }
    return true;
  }

  private boolean skippable(State s) {
    Negotiation.Agreed a = ctx.negotiation();
    return switch (s) {
      case CONNECT -> a.notSent(Step.CONNECT);
      case MAIL -> a.notSent(Step.MAIL);
      case RCPT -> a.notSent(Step.RCPT);
      case END_OF_HEADERS -> a.notSent(Step.EOH);
      case DATA, HEADERS, BODY -> true;
      default -> false;
    };
  }

  /** For H and M: abandons a running transaction; false if a connect is still missing. */
  private boolean leaveTransaction() {
    if (state == State.CONNECT) {
      if (!skippable(State.CONNECT)) {
        return false;
      }
      state = State.READY;
    }
    if (inTransaction()) {
      handler.onAbort(ctx);
    }
    state = State.READY;
    return true;
  }

  private boolean inTransaction() {
    return state.ordinal() >= State.MAIL.ordinal() && state.ordinal() <= State.BODY.ordinal();
  }

  /**
   * The reply to a step: none if the MTA does not wait for one; a final verdict other than continue
   * ends the transaction, except for RCPT and unknown commands ({@code tolerant}), where it refuses
   * only that command.
   */
  private Outcome step(Step step, MilterReply.StepReply reply, boolean tolerant) {
    Negotiation.Agreed a = ctx.negotiation();
    MilterReply.StepReply r = Objects.requireNonNull(reply, "handler returned null");
    if (r instanceof MilterReply.Skip && (step != Step.BODY || !a.skip())) {
      r = MilterHandler.CONTINUE;
    }
    if (!tolerant && r instanceof MilterReply.Final && !(r instanceof MilterReply.Continue)) {
      state = State.READY;
    }
    return a.noReply(step) ? NO_REPLY : new Reply(List.of(r));
  }

  private void endSession() {
    if (inTransaction()) {
      handler.onAbort(ctx);
    }
    if (state != State.NEGOTIATE || ctx.negotiation() != null) {
      handler.onClose(ctx);
    }
    ctx.clearMacrosAfter(null);
    state = State.CLOSED;
  }

  private Outcome outOfOrder(MilterCommand c) {
    return close(name(c) + " out of order in state " + state);
  }

  private Outcome close(String reason) {
    if (state != State.CLOSED) {
      endSession();
    }
    return new Close(reason);
  }

  private static String name(MilterCommand c) {
    String s = c.getClass().getSimpleName();
    return c.code() + " (" + s + ")";
  }
}
