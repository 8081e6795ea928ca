package io.inkan.milter;

import java.util.List;

/** Checks an end-of-message answer: modifications the MTA allows, then one final verdict. */
final class EndOfMessageCheck {
  private EndOfMessageCheck() {}

  /** Null if fine, else what is wrong. */
  static String problem(List<MilterReply> replies, Negotiation.Agreed agreed) {
    if (replies == null || replies.isEmpty()) {
      return "end-of-message handler gave no verdict";
    }
    for (int i = 0; i < replies.size(); i++) {
      MilterReply r = replies.get(i);
      boolean last = i == replies.size() - 1;
      if (r == null) {
        return "end-of-message handler gave a null reply";
      }
      if (last != (r instanceof MilterReply.Final)) {
        return "end-of-message replies must end with exactly one verdict: " + replies;
      }
      int needs = needs(r);
      if (needs != 0 && !agreed.allows(needs)) {
        return String.format(
            "end-of-message reply %s needs action 0x%x, not negotiated (actions 0x%x)",
            r, needs, agreed.actions());
      }
      if (r instanceof MilterReply.Skip || r instanceof MilterReply.Negotiate) {
        return "end-of-message handler answered " + r;
      }
    }
    return null;
  }

  private static int needs(MilterReply r) {
    if (r instanceof MilterReply.InsertHeader || r instanceof MilterReply.AddHeader) {
      return MilterFlags.SMFIF_ADDHDRS;
    } else if (r instanceof MilterReply.ChangeHeader) {
      return MilterFlags.SMFIF_CHGHDRS;
    } else if (r instanceof MilterReply.Quarantine) {
      return MilterFlags.SMFIF_QUARANTINE;
    }
    return 0;
  }
}
