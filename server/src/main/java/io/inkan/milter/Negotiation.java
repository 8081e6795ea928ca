package io.inkan.milter;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filter's answer to the MTA's {@code O} offer (libmilter {@code engine.c} {@code
 * st_optionneg}, Postfix {@code milter8.c} {@code milter8_connect}): version {@code min(6,
 * offered)}, versions below 2 refused; only actions the MTA offers; {@code NO*} for steps the
 * filter does not need and {@code NR_*} for steps whose reply would always be "continue", each only
 * if offered; {@code MDS_1M}/{@code MDS_256K} echoed when offered, raising the frame size.
 */
public final class Negotiation {
  /** The highest protocol version spoken. */
  public static final int VERSION = 6;

  /** The lowest MTA version accepted ({@code SMFI_PROT_VERSION_MIN}). */
  public static final int MIN_VERSION = 2;

  private Negotiation() {}

  /**
   * What the filter wants.
   *
   * @param requiredActions {@code SMFIF_*} actions without which the filter cannot work
   * @param optionalActions actions used when the MTA offers them
   * @param needed steps the filter wants to see
   * @param decides needed steps whose reply may be other than "continue" (the rest get {@code
   *     NR_*})
   * @param macros macro names to request per stage (needs {@code SMFIF_SETSYMLIST}); empty keeps
   *     the MTA's defaults. Postfix then sends only what was requested, for every stage.
   * @param headerLeadingSpace ask for header values with their leading space ({@code
   *     SMFIP_HDR_LEADSPC})
   * @param skip the filter may answer a body chunk with skip ({@code SMFIP_SKIP})
   */
  public record Wants(
      int requiredActions,
      int optionalActions,
      Set<Step> needed,
      Set<Step> decides,
      Map<MacroStage, List<String>> macros,
      boolean headerLeadingSpace,
      boolean skip) {
    public Wants {
      needed = needed.isEmpty() ? EnumSet.noneOf(Step.class) : EnumSet.copyOf(needed);
      decides = decides.isEmpty() ? EnumSet.noneOf(Step.class) : EnumSet.copyOf(decides);
      macros = Map.copyOf(macros);
    }
  }

  /** The outcome: agreed terms or the reason to close the connection. */
  public sealed interface Result permits Agreed, Refused {}

  /**
   * Agreed terms.
   *
   * @param reply the {@code O} reply to send
   * @param mtaVersion the version the MTA offered
   * @param mtaActions the actions the MTA offered (V1 actions if it offered none)
   * @param mtaProtocol the protocol flags the MTA offered (V1 flags if it offered none)
   * @param maxPayloadSize the largest frame payload from now on
   */
  public record Agreed(
      MilterReply.Negotiate reply,
      int mtaVersion,
      int mtaActions,
      int mtaProtocol,
      int maxPayloadSize)
      implements Result {
    public int version() {
      return reply.version();
    }

    public int actions() {
      return reply.actions();
    }

    public int protocol() {
      return reply.protocol();
    }

    /** The MTA was asked not to send this step. */
    public boolean notSent(Step step) {
      return (reply.protocol() & step.notSentFlag()) != 0;
    }

    /** The MTA does not wait for a reply to this step. */
    public boolean noReply(Step step) {
      return (reply.protocol() & step.noReplyFlag()) != 0;
    }

    /** All of these {@code SMFIF_*} actions were agreed. */
    public boolean allows(int actions) {
      return (reply.actions() & actions) == actions;
    }

    /** Header values arrive with their leading space. */
    public boolean headerLeadingSpace() {
      return (reply.protocol() & MilterFlags.SMFIP_HDR_LEADSPC) != 0;
    }

    /** The filter may answer a body chunk with skip. */
    public boolean skip() {
      return (reply.protocol() & MilterFlags.SMFIP_SKIP) != 0;
    }
  }

  /** The MTA cannot give the filter what it needs. */
  public record Refused(String reason) implements Result {}

  /** Answers the MTA's offer. */
  public static Result negotiate(MilterCommand.Negotiate offer, Wants wants) {
    if (Integer.compareUnsigned(offer.version(), MIN_VERSION) < 0) {
      return new Refused(
          "MTA protocol version "
              + Integer.toUnsignedString(offer.version())
              + " is older than "
              + MIN_VERSION);
    }
    int version = Integer.compareUnsigned(offer.version(), VERSION) < 0 ? offer.version() : VERSION;
    int mtaActions = offer.actions() == 0 ? MilterFlags.SMFI_V1_ACTS : offer.actions();
    int mtaProtocol = offer.protocol() == 0 ? MilterFlags.SMFI_V1_PROT : offer.protocol();

    int missing = wants.requiredActions() & ~mtaActions;
    if (missing != 0) {
      return new Refused(
          String.format("MTA offers actions 0x%x, lacking required 0x%x", mtaActions, missing));
    }
    int actions = wants.requiredActions() | (wants.optionalActions() & mtaActions);

    int protocol = 0;
    for (Step step : Step.values()) {
      boolean needed = wants.needed().contains(step);
      if (!needed && (mtaProtocol & step.notSentFlag()) != 0) {
        protocol |= step.notSentFlag();
      } else if ((!needed || !wants.decides().contains(step))
          && (mtaProtocol & step.noReplyFlag()) != 0) {
        protocol |= step.noReplyFlag();
      }
    }
    if (wants.headerLeadingSpace()) {
      protocol |= mtaProtocol & MilterFlags.SMFIP_HDR_LEADSPC;
    }
    if (wants.skip()) {
      protocol |= mtaProtocol & MilterFlags.SMFIP_SKIP;
    }
    int maxPayload = MilterFrameDecoder.DEFAULT_MAX_PAYLOAD;
    if ((mtaProtocol & MilterFlags.SMFIP_MDS_1M) != 0) {
      protocol |= MilterFlags.SMFIP_MDS_1M;
      maxPayload = MilterFlags.MDS_1M;
    } else if ((mtaProtocol & MilterFlags.SMFIP_MDS_256K) != 0) {
      protocol |= MilterFlags.SMFIP_MDS_256K;
      maxPayload = MilterFlags.MDS_256K;
    }

    Map<MacroStage, List<String>> macros = Map.of();
    if (!wants.macros().isEmpty()
        && version >= 6
        && (mtaActions & MilterFlags.SMFIF_SETSYMLIST) != 0) {
      actions |= MilterFlags.SMFIF_SETSYMLIST;
      macros = wants.macros();
    }
    return new Agreed(
        new MilterReply.Negotiate(version, actions, protocol, macros),
        offer.version(),
        mtaActions,
        mtaProtocol,
        maxPayload);
  }
}
