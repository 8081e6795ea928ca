package io.inkan.milter;

/** Action ({@code SMFIF_*}) and protocol ({@code SMFIP_*}) bits of libmilter {@code mfdef.h}. */
public final class MilterFlags {
  private MilterFlags() {}

  public static final int SMFIF_ADDHDRS = 0x01;
  public static final int SMFIF_CHGBODY = 0x02;
  public static final int SMFIF_ADDRCPT = 0x04;
  public static final int SMFIF_DELRCPT = 0x08;
  public static final int SMFIF_CHGHDRS = 0x10;
  public static final int SMFIF_QUARANTINE = 0x20;
  public static final int SMFIF_CHGFROM = 0x40;
  public static final int SMFIF_ADDRCPT_PAR = 0x80;
  public static final int SMFIF_SETSYMLIST = 0x100;

  /** What libmilter assumes when an MTA offers no actions ({@code SMFI_V1_ACTS}). */
  public static final int SMFI_V1_ACTS = 0x0f;

  public static final int SMFIP_NOCONNECT = 0x1;
  public static final int SMFIP_NOHELO = 0x2;
  public static final int SMFIP_NOMAIL = 0x4;
  public static final int SMFIP_NORCPT = 0x8;
  public static final int SMFIP_NOBODY = 0x10;
  public static final int SMFIP_NOHDRS = 0x20;
  public static final int SMFIP_NOEOH = 0x40;
  public static final int SMFIP_NR_HDR = 0x80;
  public static final int SMFIP_NOUNKNOWN = 0x100;
  public static final int SMFIP_NODATA = 0x200;
  public static final int SMFIP_SKIP = 0x400;
  public static final int SMFIP_RCPT_REJ = 0x800;
  public static final int SMFIP_NR_CONN = 0x1000;
  public static final int SMFIP_NR_HELO = 0x2000;
  public static final int SMFIP_NR_MAIL = 0x4000;
  public static final int SMFIP_NR_RCPT = 0x8000;
  public static final int SMFIP_NR_DATA = 0x10000;
  public static final int SMFIP_NR_UNKN = 0x20000;
  public static final int SMFIP_NR_EOH = 0x40000;
  public static final int SMFIP_NR_BODY = 0x80000;
  public static final int SMFIP_HDR_LEADSPC = 0x100000;
  public static final int SMFIP_MDS_256K = 0x10000000;
  public static final int SMFIP_MDS_1M = 0x20000000;

  /** What libmilter assumes when an MTA offers no protocol flags ({@code SMFI_V1_PROT}). */
  public static final int SMFI_V1_PROT = 0x3f;

  /** {@code MILTER_MDS_256K}: largest payload after {@link #SMFIP_MDS_256K}. */
  public static final int MDS_256K = 256 * 1024 - 1;

  /** {@code MILTER_MDS_1M}: largest payload after {@link #SMFIP_MDS_1M}. */
  public static final int MDS_1M = 1024 * 1024 - 1;
}
