package io.inkan.milter;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.testing.MilterFrames;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Test helpers: hex fixtures and decoding a stream whole and one byte at a time. */
final class Wire {
  private Wire() {}

  static byte[] hex(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
  }

  static String hex(byte[] bytes) {
    return MilterFrames.hex(bytes);
  }

  /** A frame built from parts: strings get a NUL, byte arrays go as they are. */
  static byte[] frame(char command, Object... parts) {
    return MilterFrames.frame(command, parts);
  }

  /** Decodes {@code bytes} whole and one byte at a time; both must agree and leave nothing. */
  static List<MilterFrameDecoder.Decoded> decodeBothWays(byte[] bytes, int maxPayload) {
    MilterFrameDecoder whole = new MilterFrameDecoder(maxPayload);
    List<MilterFrameDecoder.Decoded> a = whole.feed(bytes);
    MilterFrameDecoder single = new MilterFrameDecoder(maxPayload);
    List<MilterFrameDecoder.Decoded> b = new ArrayList<>();
    for (byte x : bytes) {
      b.addAll(single.feed(new byte[] {x}));
    }
    assertThat(b).isEqualTo(a);
    if (!whole.isFailed()) {
      assertThat(whole.isIdle()).as("nothing left over").isTrue();
      assertThat(single.isIdle()).as("nothing left over").isTrue();
    }
    return a;
  }

  /** Decodes and parses exactly one command from {@code bytes}, both ways. */
  static MilterCommandParser.Parsed parseOne(byte[] bytes) {
    List<MilterFrameDecoder.Decoded> frames =
        decodeBothWays(bytes, MilterFrameDecoder.DEFAULT_MAX_PAYLOAD);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0)).isInstanceOf(MilterFrame.class);
    return MilterCommandParser.parse((MilterFrame) frames.get(0));
  }
}
