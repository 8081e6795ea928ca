package io.inkan.milter;

import java.util.Objects;

/**
 * Input that breaks the milter protocol, reported as a value rather than thrown. A malformed frame
 * closes its connection; the MTA then applies its milter_default_action.
 *
 * @param reason what was wrong, naming the command and the problem (with a hex excerpt where bytes
 *     matter)
 */
public record Malformed(String reason)
    implements MilterFrameDecoder.Decoded, MilterCommandParser.Parsed {
  public Malformed {
    Objects.requireNonNull(reason, "reason");
  }

  /** Up to {@code max} bytes as space-separated hex, with "…" when cut. */
  static String hex(byte[] bytes, int offset, int length, int max) {
    StringBuilder sb = new StringBuilder();
    int n = Math.min(length, max);
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(String.format("%02x", bytes[offset + i] & 0xff));
    }
    if (length > max) {
      sb.append(" …");
    }
    return sb.toString();
  }
}
