package io.inkan.milter;

import static io.inkan.milter.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MilterReplyEncoderTest {
  private static String enc(MilterReply r) {
    return hex(MilterReplyEncoder.encode(r));
  }

  @Test
  void verdicts() {
    assertThat(enc(new MilterReply.Continue())).isEqualTo("0000000163");
    assertThat(enc(new MilterReply.Accept())).isEqualTo("0000000161");
    assertThat(enc(new MilterReply.Reject())).isEqualTo("0000000172");
    assertThat(enc(new MilterReply.Tempfail())).isEqualTo("0000000174");
    assertThat(enc(new MilterReply.Discard())).isEqualTo("0000000164");
    assertThat(enc(new MilterReply.Skip())).isEqualTo("0000000173");
    assertThat(enc(new MilterReply.Progress())).isEqualTo("0000000170");
  }

  @Test
  void replyCodeDoublesPercent() {
    assertThat(enc(new MilterReply.ReplyCode("451 4.7.1 100% busy")))
        .isEqualTo("00000016" + "79" + "34353120342e372e3120313030252520627573790" + "0");
  }

  @Test
  void headerModifications() {
    assertThat(enc(new MilterReply.InsertHeader(0, "X-A", "b")))
        .isEqualTo("0000000b" + "69" + "00000000" + "582d4100" + "6200");
    assertThat(enc(new MilterReply.AddHeader("X-A", "b")))
        .isEqualTo("00000007" + "68" + "582d4100" + "6200");
    assertThat(enc(new MilterReply.ChangeHeader(2, "X-A", "")))
        .isEqualTo("0000000a" + "6d" + "00000002" + "582d4100" + "00");
    assertThat(enc(new MilterReply.Quarantine("bad"))).isEqualTo("00000005" + "71" + "62616400");
  }

  @Test
  void headerValueKeepsLatin1Bytes() {
    assertThat(enc(new MilterReply.AddHeader("X", " \u00c3\u00a9")))
        .isEqualTo("00000007" + "68" + "5800" + "20c3a900");
  }

  @Test
  void negotiateWithMacroRequestsInStageOrder() {
    MilterReply.Negotiate o =
        new MilterReply.Negotiate(
            6,
            0x101,
            0x1000,
            Map.of(
                MacroStage.EOM, List.of("i"),
                MacroStage.CONNECT, List.of("j", "{daemon_name}")));
    assertThat(enc(o))
        .isEqualTo(
            "00000027"
                + "4f"
                + "00000006"
                + "00000101"
                + "00001000"
                + "00000000"
                + hex("j {daemon_name}".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                + "00"
                + "00000005"
                + "6900");
    assertThat(enc(new MilterReply.Negotiate(2, 1, 0, Map.of())))
        .isEqualTo("0000000d4f000000020000000100000000");
  }

  @Test
  void endOfMessageBurstIsOneArray() {
    byte[] all =
        MilterReplyEncoder.encode(
            List.of(new MilterReply.InsertHeader(0, "X-A", "b"), new MilterReply.Accept()));
    assertThat(hex(all)).isEqualTo("0000000b6900000000582d410062000000000161");
  }

  @Test
  void invalidRepliesAreBugs() {
    assertThatThrownBy(() -> new MilterReply.ReplyCode("250 ok"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MilterReply.AddHeader("X:Y", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MilterReply.AddHeader("X", "a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MilterReply.AddHeader("X", "\u20ac"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MilterReply.ChangeHeader(0, "X", ""))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
