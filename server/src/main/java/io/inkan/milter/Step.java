package io.inkan.milter;

/**
 * A protocol step the MTA may be asked not to send ({@code SMFIP_NO*}) or not to wait for a reply
 * to ({@code SMFIP_NR_*}).
 */
public enum Step {
  CONNECT(MilterFlags.SMFIP_NOCONNECT, MilterFlags.SMFIP_NR_CONN),
  HELO(MilterFlags.SMFIP_NOHELO, MilterFlags.SMFIP_NR_HELO),
  MAIL(MilterFlags.SMFIP_NOMAIL, MilterFlags.SMFIP_NR_MAIL),
  RCPT(MilterFlags.SMFIP_NORCPT, MilterFlags.SMFIP_NR_RCPT),
  DATA(MilterFlags.SMFIP_NODATA, MilterFlags.SMFIP_NR_DATA),
  HEADER(MilterFlags.SMFIP_NOHDRS, MilterFlags.SMFIP_NR_HDR),
  EOH(MilterFlags.SMFIP_NOEOH, MilterFlags.SMFIP_NR_EOH),
  BODY(MilterFlags.SMFIP_NOBODY, MilterFlags.SMFIP_NR_BODY),
  UNKNOWN(MilterFlags.SMFIP_NOUNKNOWN, MilterFlags.SMFIP_NR_UNKN);

  private final int notSent;
  private final int noReply;

  Step(int notSent, int noReply) {
    this.notSent = notSent;
    this.noReply = noReply;
  }

  /** The {@code SMFIP_NO*} bit. */
  public int notSentFlag() {
    return notSent;
  }

  /** The {@code SMFIP_NR_*} bit. */
  public int noReplyFlag() {
    return noReply;
  }
}
