package io.inkan.milter;

import static io.inkan.milter.MilterFlags.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NegotiationTest {
  /** A DKIM filter: needs connect, mail, rcpt, headers, eoh, body; decides only at mail. */
  static final Negotiation.Wants DKIM =
      new Negotiation.Wants(
          SMFIF_ADDHDRS,
          SMFIF_CHGHDRS | SMFIF_QUARANTINE,
          EnumSet.of(Step.CONNECT, Step.MAIL, Step.RCPT, Step.HEADER, Step.EOH, Step.BODY),
          EnumSet.of(Step.MAIL),
          Map.of(MacroStage.EOM, List.of("i"), MacroStage.MAIL, List.of("{auth_authen}")),
          true,
          true);

  private static Negotiation.Agreed agreed(int version, int actions, int protocol) {
    Negotiation.Result r =
        Negotiation.negotiate(new MilterCommand.Negotiate(version, actions, protocol), DKIM);
    assertThat(r).isInstanceOf(Negotiation.Agreed.class);
    return (Negotiation.Agreed) r;
  }

  @Test
  void postfix37() {
    Negotiation.Agreed a = agreed(6, 0x1ff, 0x1fffff);
    assertThat(a.version()).isEqualTo(6);
    assertThat(a.actions())
        .isEqualTo(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE | SMFIF_SETSYMLIST);
    assertThat(a.protocol())
        .isEqualTo(
            SMFIP_NOHELO
                | SMFIP_NODATA
                | SMFIP_NOUNKNOWN
                | SMFIP_NR_CONN
                | SMFIP_NR_RCPT
                | SMFIP_NR_HDR
                | SMFIP_NR_EOH
                | SMFIP_NR_BODY
                | SMFIP_HDR_LEADSPC
                | SMFIP_SKIP);
    assertThat(a.noReply(Step.MAIL)).isFalse();
    assertThat(a.maxPayloadSize()).isEqualTo(65535);
    assertThat(a.reply().macros()).containsKeys(MacroStage.EOM, MacroStage.MAIL);
    assertThat(Wire.hex(MilterReplyEncoder.encode(a.reply())))
        .isEqualTo(
            "00000025"
                + "4f"
                + "00000006"
                + "00000131"
                + "001c9782"
                + "00000002"
                + "7b617574685f61757468656e7d00" // SMFIM_ENVFROM "{auth_authen}"
                + "00000005"
                + "6900"); // SMFIM_EOM "i"
  }

  @Test
  void oldMtaVersion2() {
    // Sendmail 8.13-era offer: v2, actions 0x3f (SMFI_V2_ACTS), protocol 0x7f (SMFI_V2_PROT)
    Negotiation.Agreed a = agreed(2, 0x3f, 0x7f);
    assertThat(a.version()).isEqualTo(2);
    assertThat(a.actions()).isEqualTo(SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE);
    assertThat(a.protocol()).isEqualTo(SMFIP_NOHELO);
    assertThat(a.reply().macros()).as("no SETSYMLIST before v6").isEmpty();
    assertThat(a.noReply(Step.HEADER)).isFalse();
  }

  @Test
  void zeroOfferMeansV1Defaults() {
    Negotiation.Agreed a = agreed(2, 0, 0);
    assertThat(a.mtaActions()).isEqualTo(SMFI_V1_ACTS);
    assertThat(a.mtaProtocol()).isEqualTo(SMFI_V1_PROT);
  }

  @Test
  void versionBelowTwoIsRefused() {
    assertThat(Negotiation.negotiate(new MilterCommand.Negotiate(1, 0x1ff, 0x1fffff), DKIM))
        .isEqualTo(new Negotiation.Refused("MTA protocol version 1 is older than 2"));
  }

  @Test
  void newerMtaGetsSix() {
    assertThat(agreed(7, 0x1ff, 0x1fffff).version()).isEqualTo(6);
    assertThat(agreed(-1, 0x1ff, 0x1fffff).version()).as("unsigned").isEqualTo(6);
  }

  @Test
  void missingRequiredActionIsRefused() {
    Negotiation.Result r =
        Negotiation.negotiate(new MilterCommand.Negotiate(6, SMFIF_CHGHDRS, 0x1fffff), DKIM);
    assertThat(r).isInstanceOf(Negotiation.Refused.class);
    assertThat(((Negotiation.Refused) r).reason()).contains("lacking required 0x1");
  }

  @Test
  void mdsFlags() {
    assertThat(agreed(6, 0x1ff, 0x1fffff).protocol() & (SMFIP_MDS_1M | SMFIP_MDS_256K)).isZero();
    Negotiation.Agreed k = agreed(6, 0x1ff, 0x1fffff | SMFIP_MDS_256K);
    assertThat(k.maxPayloadSize()).isEqualTo(256 * 1024 - 1);
    assertThat(k.protocol() & SMFIP_MDS_256K).isNotZero();
    Negotiation.Agreed m = agreed(6, 0x1ff, 0x1fffff | SMFIP_MDS_256K | SMFIP_MDS_1M);
    assertThat(m.maxPayloadSize()).isEqualTo(1024 * 1024 - 1);
    assertThat(m.protocol() & (SMFIP_MDS_1M | SMFIP_MDS_256K)).isEqualTo(SMFIP_MDS_1M);
  }

  @Test
  void onlyOfferedFlagsAreSet() {
    // offer without NR_* and without NOUNKNOWN/NODATA (v3-like)
    Negotiation.Agreed a = agreed(6, 0x1ff, 0x7f);
    assertThat(a.protocol()).isEqualTo(SMFIP_NOHELO);
    assertThat(a.noReply(Step.BODY)).isFalse();
  }

  @Test
  void unneededStepWithoutNoFlagGetsNoReply() {
    Negotiation.Wants w = new Negotiation.Wants(0, 0, Set.of(), Set.of(), Map.of(), false, false);
    Negotiation.Agreed a =
        (Negotiation.Agreed)
            Negotiation.negotiate(
                new MilterCommand.Negotiate(6, 0x1ff, SMFIP_NR_HELO | SMFIP_NOCONNECT), w);
    assertThat(a.protocol()).isEqualTo(SMFIP_NR_HELO | SMFIP_NOCONNECT);
  }
}
