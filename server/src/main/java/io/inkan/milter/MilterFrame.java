package io.inkan.milter;

import java.util.Arrays;
import java.util.Objects;

/**
 * One milter packet: the command byte and its payload (the length prefix already removed).
 *
 * @param command the command (or reply) byte, e.g. {@code 'O'}
 * @param payload the bytes after the command byte; owned by this frame
 */
public record MilterFrame(char command, byte[] payload) implements MilterFrameDecoder.Decoded {
  public MilterFrame {
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MilterFrame f && f.command == command && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return 31 * command + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "MilterFrame['" + command + "', " + payload.length + " bytes]";
  }
}
