package io.inkan.policy;

import io.inkan.config.MilterAction;
import io.inkan.milter.MilterReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns an On-* action into the end-of-message replies (opendkim.conf(5), On-*). */
final class Verdicts {
  private Verdicts() {}

  /**
   * The replies for {@code action}: header changes are kept only when the message is delivered
   * (accept or quarantine); quarantine falls back to accept when the MTA did not grant it.
   */
  static List<MilterReply> of(
      MilterAction action,
      List<MilterReply> modifications,
      boolean quarantineAllowed,
      String reason) {
    List<MilterReply> out = new ArrayList<>();
    switch (action) {
      case ACCEPT -> {
        out.addAll(modifications);
        out.add(new MilterReply.Accept());
      }
      case QUARANTINE -> {
        out.addAll(modifications);
        if (quarantineAllowed) {
          out.add(new MilterReply.Quarantine(reason));
        }
        out.add(new MilterReply.Accept());
      }
      case REJECT -> out.add(new MilterReply.Reject());
      case TEMPFAIL -> out.add(new MilterReply.Tempfail());
      case DISCARD -> out.add(new MilterReply.Discard());
      default -> throw new AssertionError(action);
    }
    return out;
  }

  /** Continue after the modifications: the normal end of a signed or verified message. */
  static List<MilterReply> proceed(List<MilterReply> modifications) {
    List<MilterReply> out = new ArrayList<>(modifications);
    out.add(new MilterReply.Continue());
    return out;
  }

  /** The verdict's name for metrics and logs: continue, accept, tempfail, ... */
  static String name(List<MilterReply> replies) {
    MilterReply last = replies.get(replies.size() - 1);
    return last.getClass().getSimpleName().toLowerCase(Locale.ROOT);
  }
}
