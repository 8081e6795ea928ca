package io.inkan.milter;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where the filter's logic plugs into a {@link MilterSession}. All methods are called on the
 * session's thread (the connection's event loop) and must not block; only {@link #onEndOfMessage}
 * may finish later. Its stage may complete on any thread, so it must copy what it needs from the
 * context before returning. A step's reply is ignored when the MTA was told not to wait for it
 * ({@code NR_*}); declare such steps in {@link Negotiation.Wants#decides()}.
 */
public interface MilterHandler {
  MilterReply.StepReply CONTINUE = new MilterReply.Continue();

  default MilterReply.StepReply onConnect(MilterContext ctx) {
    return CONTINUE;
  }

  default MilterReply.StepReply onHelo(MilterContext ctx, String helo) {
    return CONTINUE;
  }

  /** A new transaction; {@code args.get(0)} is {@code <sender>}. */
  default MilterReply.StepReply onMail(MilterContext ctx, List<String> args) {
    return CONTINUE;
  }

  /** A recipient; a reject here refuses only this recipient. */
  default MilterReply.StepReply onRcpt(MilterContext ctx, List<String> args) {
    return CONTINUE;
  }

  default MilterReply.StepReply onData(MilterContext ctx) {
    return CONTINUE;
  }

  /** One header field, as ISO-8859-1 characters standing for the wire bytes. */
  default MilterReply.StepReply onHeader(MilterContext ctx, String name, String value) {
    return CONTINUE;
  }

  default MilterReply.StepReply onEndOfHeaders(MilterContext ctx) {
    return CONTINUE;
  }

  /** One body chunk; the array is the handler's to read, not to keep beyond the call. */
  default MilterReply.StepReply onBody(MilterContext ctx, byte[] chunk) {
    return CONTINUE;
  }

  /**
   * End of message: modifications (insert header, ...) then exactly one {@link MilterReply.Final}
   * verdict, written to the MTA in one piece.
   */
  CompletionStage<List<MilterReply>> onEndOfMessage(MilterContext ctx);

  /** The current transaction was abandoned (abort, quit or a broken connection). */
  default void onAbort(MilterContext ctx) {}

  default MilterReply.StepReply onUnknown(MilterContext ctx, String command) {
    return CONTINUE;
  }

  /** The session ended (quit, quit-new-connection or protocol error). */
  default void onClose(MilterContext ctx) {}
}
