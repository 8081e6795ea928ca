package io.inkan.milter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Encodes replies into milter frames (libmilter {@code smfi.c}, {@code engine.c} {@code
 * sendreply}). A list becomes one array so that the end-of-message burst leaves in one write.
 */
public final class MilterReplyEncoder {
  private MilterReplyEncoder() {}

  /** All replies, in order, as one byte array. */
  public static byte[] encode(List<? extends MilterReply> replies) {
    List<byte[]> payloads = new ArrayList<>(replies.size());
    int size = 0;
    for (MilterReply r : replies) {
      byte[] p = payload(r);
      payloads.add(p);
      size += 5 + p.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (int i = 0; i < replies.size(); i++) {
      byte[] p = payloads.get(i);
      out.putInt(1 + p.length).put((byte) replies.get(i).code()).put(p);
    }
    return out.array();
  }

  public static byte[] encode(MilterReply reply) {
    return encode(List.of(reply));
  }

  private static byte[] payload(MilterReply r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (r instanceof MilterReply.ReplyCode y) {
      string(out, y.text().replace("%", "%%"));
    } else if (r instanceof MilterReply.InsertHeader i) {
      int32(out, i.index());
      string(out, i.name());
      string(out, i.value());
    } else if (r instanceof MilterReply.AddHeader h) {
      string(out, h.name());
      string(out, h.value());
    } else if (r instanceof MilterReply.ChangeHeader m) {
      int32(out, m.index());
      string(out, m.name());
      string(out, m.value());
    } else if (r instanceof MilterReply.Quarantine q) {
      string(out, q.reason());
    } else if (r instanceof MilterReply.Negotiate o) {
      int32(out, o.version());
      int32(out, o.actions());
      int32(out, o.protocol());
      o.macros().entrySet().stream()
          .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.smfim(), b.smfim())))
          .forEach(
              e -> {
                int32(out, e.getKey().smfim());
                string(out, String.join(" ", e.getValue()));
              });
    }
    return out.toByteArray();
  }

  private static void int32(ByteArrayOutputStream out, int v) {
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    out.writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
    out.write(0);
  }
}
