package io.inkan.runtime;

/**
 * What the milter listener reports while it serves; {@link #NONE} reports nothing. Called on event
 * loops, from many connections at once: implementations are cheap and thread-safe.
 */
public interface MilterMetrics {
  MilterMetrics NONE = new MilterMetrics() {};

  /** A connection accepted and served from now on. */
  default void connectionOpened() {}

  /** A served connection closed, for whatever reason. */
  default void connectionClosed() {}

  /**
   * A connection closed at once: {@code notallowed} (not in MilterAllowedClients) or {@code limit}
   * (MilterMaxConnections reached).
   */
  default void connectionRefused(String reason) {}

  /**
   * A connection closed for breaking the protocol: {@code protocol} (a malformed frame or a command
   * out of order) or {@code stalled} (a frame left half-sent).
   */
  default void protocolError(String kind) {}

  /**
   * The event-loop time of one command.
   *
   * @param stage {@code negotiate}, {@code connect}, {@code helo}, {@code mail}, {@code rcpt},
   *     {@code data}, {@code header}, {@code eoh}, {@code body}, {@code eom}, {@code abort}, {@code
   *     macro}, {@code quit}, {@code unknown} or {@code malformed}
   */
  default void stage(String stage, long nanos) {}

  /**
   * From the end-of-message command to its answer written.
   *
   * @param outcome {@code answered}, {@code deadline} (tempfail after MilterMessageDeadline) or
   *     {@code failed} (the handler failed; tempfail)
   */
  default void endOfMessage(String outcome, long nanos) {}
}
