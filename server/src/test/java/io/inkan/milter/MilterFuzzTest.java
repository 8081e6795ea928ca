package io.inkan.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Random input through decoder, parser and session: values only, never an exception. */
class MilterFuzzTest {
  private static final String CODES = "ABCDEHKLMNOQRTUxyz";

  private static MilterSession newSession() {
    return new MilterSession(
        ctx -> CompletableFuture.completedFuture(List.of(new MilterReply.Continue())),
        new Negotiation.Wants(
            MilterFlags.SMFIF_ADDHDRS,
            0,
            java.util.EnumSet.allOf(Step.class),
            java.util.EnumSet.noneOf(Step.class),
            Map.of(),
            true,
            false));
  }

  @Test
  void randomBytes() {
    Random rnd = new Random(20240601);
    for (int run = 0; run < 2000; run++) {
      byte[] junk = new byte[rnd.nextInt(300)];
      rnd.nextBytes(junk);
      drive(junk, rnd);
    }
  }

  @Test
  void randomFramesWithPlausibleCommands() {
    Random rnd = new Random(7);
    for (int run = 0; run < 2000; run++) {
      java.io.ByteArrayOutputStream s = new java.io.ByteArrayOutputStream();
      s.writeBytes(Wire.hex("0000000d4f00000006000001ff001fffff"));
      for (int i = 0; i < 20; i++) {
        byte[] payload = new byte[rnd.nextInt(24)];
        rnd.nextBytes(payload);
        for (int j = 0; j < payload.length; j++) {
          if (rnd.nextInt(4) == 0) {
            payload[j] = 0;
          }
        }
        s.writeBytes(Wire.frame(CODES.charAt(rnd.nextInt(CODES.length())), payload));
      }
      drive(s.toByteArray(), rnd);
    }
  }

  private static void drive(byte[] bytes, Random rnd) {
    MilterFrameDecoder decoder = new MilterFrameDecoder();
    MilterSession session = newSession();
    int at = 0;
    while (at < bytes.length) {
      int n = Math.min(bytes.length - at, 1 + rnd.nextInt(40));
      for (MilterFrameDecoder.Decoded d : decoder.feed(java.nio.ByteBuffer.wrap(bytes, at, n))) {
        MilterCommandParser.Parsed p =
            d instanceof MilterFrame f ? MilterCommandParser.parse(f) : (Malformed) d;
        MilterSession.Outcome o = session.handle(p);
        assertThat(o).isNotNull();
        if (o instanceof MilterSession.Pending pending) {
          assertThat(pending.reply().toCompletableFuture().join()).isNotNull();
        }
        decoder.setMaxPayloadSize(session.maxPayloadSize());
      }
      at += n;
    }
  }
}
