package io.inkan.cache;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * The stored form of an answer, shared by the JE and memcached backends: a format-version byte, the
 * {@link AnswerType} code, the expiry in epoch milliseconds (8 bytes, big-endian, so that JE orders
 * entries by expiry) and the payload. Backends may put a prefix before it and a trailer after it
 * (memcached's magic and MAC).
 */
final class AnswerCodec {
  static final int VERSION_OFFSET = 0;
  static final int TYPE_OFFSET = 1;
  static final int EXPIRY_OFFSET = 2;
  static final int HEADER = 10;

  private AnswerCodec() {}

  /** {@code prefix}, then header and payload, then {@code trailer} free bytes to fill. */
  static byte[] encode(byte[] prefix, int version, CachedAnswer answer, int trailer) {
    byte[] data = answer.rawData();
    ByteBuffer out = ByteBuffer.allocate(prefix.length + HEADER + data.length + trailer);
    out.put(prefix);
    out.put((byte) version);
    out.put((byte) answer.type().code());
    out.putLong(answer.expires().toEpochMilli());
    out.put(data);
    return out.array();
  }

  /** The version byte at {@code offset}, or -1 when the value ends before it. */
  static int version(byte[] value, int offset) {
    return value.length <= offset ? -1 : value[offset + VERSION_OFFSET] & 0xff;
  }

  /**
   * The answer in {@code value[offset, end)}, or {@code null} when that is too short or the type
   * code is unknown.
   */
  static CachedAnswer decode(byte[] value, int offset, int end) {
    if (end - offset < HEADER || end > value.length) {
      return null;
    }
    AnswerType type = AnswerType.fromCode(value[offset + TYPE_OFFSET] & 0xff);
    if (type == null) {
      return null;
    }
    long expiry = ByteBuffer.wrap(value, offset + EXPIRY_OFFSET, 8).getLong();
    byte[] data = new byte[end - offset - HEADER];
    System.arraycopy(value, offset + HEADER, data, 0, data.length);
    return new CachedAnswer(type, data, Instant.ofEpochMilli(expiry));
  }
}
