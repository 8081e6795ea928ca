package io.inkan.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Milter frames built by hand for tests: length, command byte, NUL-terminated strings. */
public final class MilterFrames {
  private MilterFrames() {}

  /** A frame built from parts: strings get a NUL, byte arrays go as they are. */
  public static byte[] frame(char command, Object... parts) {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof String s) {
        payload.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        payload.write(0);
      } else {
        payload.writeBytes((byte[]) p);
      }
    }
    byte[] body = payload.toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(int32(body.length + 1));
    out.write(command);
    out.writeBytes(body);
    return out.toByteArray();
  }

  public static byte[] int32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  public static byte[] int16(int v) {
    return new byte[] {(byte) (v >>> 8), (byte) v};
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
