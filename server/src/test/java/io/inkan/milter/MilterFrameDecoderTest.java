package io.inkan.milter;

import static io.inkan.milter.Wire.decodeBothWays;
import static io.inkan.milter.Wire.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class MilterFrameDecoderTest {
  private static final int MAX = MilterFrameDecoder.DEFAULT_MAX_PAYLOAD;

  @Test
  void postfixNegotiationFrame() {
    List<MilterFrameDecoder.Decoded> out =
        decodeBothWays(hex("0000000d 4f 00000006 000001ff 001fffff"), MAX);
    assertThat(out).containsExactly(new MilterFrame('O', hex("00000006 000001ff 001fffff")));
  }

  @Test
  void emptyPayloadFrames() {
    assertThat(decodeBothWays(hex("00000001 4e 00000001 45"), MAX))
        .containsExactly(new MilterFrame('N', new byte[0]), new MilterFrame('E', new byte[0]));
  }

  @Test
  void manyFramesInOneChunk() {
    ByteArrayOutputStream s = new ByteArrayOutputStream();
    for (int i = 0; i < 100; i++) {
      s.writeBytes(Wire.frame('B', new byte[i]));
    }
    List<MilterFrameDecoder.Decoded> out = decodeBothWays(s.toByteArray(), MAX);
    assertThat(out).hasSize(100);
    assertThat(((MilterFrame) out.get(99)).payload()).hasSize(99);
  }

  @Test
  void zeroLengthIsMalformed() {
    List<MilterFrameDecoder.Decoded> out = decodeBothWays(hex("00000000 41"), MAX);
    assertThat(out).hasSize(1);
    assertThat(((Malformed) out.get(0)).reason()).contains("frame length 0");
  }

  @Test
  void oversizeFrameIsMalformedBeforeItsPayloadArrives() {
    MilterFrameDecoder d = new MilterFrameDecoder();
    List<MilterFrameDecoder.Decoded> out = d.feed(hex("00010001 42"));
    assertThat(out).hasSize(1);
    assertThat(((Malformed) out.get(0)).reason())
        .contains("frame length 65537")
        .contains("65535")
        .contains("00 01 00 01");
    assertThat(d.isFailed()).isTrue();
    assertThat(d.feed(hex("00000001 4e"))).as("ignored after failure").isEmpty();
  }

  @Test
  void largestDefaultFrameIsAccepted() {
    byte[] f = Wire.frame('B', new byte[MAX]);
    assertThat(decodeBothWays(f, MAX)).hasSize(1).first().isInstanceOf(MilterFrame.class);
  }

  @Test
  void hugeLengthIsMalformed() {
    List<MilterFrameDecoder.Decoded> out = new MilterFrameDecoder().feed(hex("ffffffff"));
    assertThat(((Malformed) out.get(0)).reason()).contains("4294967295");
  }

  @Test
  void raisedLimitAfterNegotiation() {
    MilterFrameDecoder d = new MilterFrameDecoder();
    d.setMaxPayloadSize(MilterFlags.MDS_1M);
    byte[] f = Wire.frame('B', new byte[MilterFlags.MDS_1M]);
    assertThat(d.feed(f)).hasSize(1).first().isInstanceOf(MilterFrame.class);
    assertThat(decodeBothWays(f, MilterFlags.MDS_256K)).first().isInstanceOf(Malformed.class);
  }

  @Test
  void partialFrameIsNotIdle() {
    MilterFrameDecoder d = new MilterFrameDecoder();
    assertThat(d.isIdle()).isTrue();
    assertThat(d.feed(hex("000000"))).isEmpty();
    assertThat(d.isIdle()).isFalse();
    assertThat(d.feed(hex("02 48 00"))).containsExactly(new MilterFrame('H', new byte[1]));
    assertThat(d.isIdle()).isTrue();
  }

  @Test
  void limitRangeIsChecked() {
    assertThatThrownBy(() -> new MilterFrameDecoder(100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: 65535-1048575");
    assertThatThrownBy(() -> new MilterFrameDecoder(1 << 20))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
