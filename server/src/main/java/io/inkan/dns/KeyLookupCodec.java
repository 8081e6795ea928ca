package io.inkan.dns;

import io.inkan.cache.AnswerType;
import io.inkan.cache.CachedAnswer;
import io.inkan.dkim.KeyLookupResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A {@link KeyLookupResult} as a {@link CachedAnswer}. The payload of found records: a format
 * version byte ({@value #VERSION}), a flags byte (bit 0: DNSSEC-secure), the record count (4
 * bytes), then per record its TTL in seconds (4 bytes, -1 when unknown) and its text as a byte
 * count (4 bytes) and UTF-8. NXDOMAIN and NODATA have no payload: read back, their TTL is the time
 * left (RFC 2308 §5, it counts down like any other). A temporary failure keeps its reason,
 * shortened. Decoding never throws: a payload this version cannot read is no answer.
 */
final class KeyLookupCodec {
  static final int VERSION = 1;
  private static final int DNSSEC_SECURE = 1;
  private static final int HEADER = 6;
  private static final int RECORD_HEADER = 8;
  private static final int MAX_REASON_CHARS = 200;

  private KeyLookupCodec() {}

  /** {@code result} as an answer that stops being valid at {@code expires}. */
  static CachedAnswer encode(KeyLookupResult result, Instant expires) {
    if (result instanceof KeyLookupResult.Found found) {
      return new CachedAnswer(AnswerType.ANSWER, found(found), expires);
    }
    if (result instanceof KeyLookupResult.NxDomain) {
      return new CachedAnswer(AnswerType.NXDOMAIN, null, expires);
    }
    if (result instanceof KeyLookupResult.NoData) {
      return new CachedAnswer(AnswerType.NODATA, null, expires);
    }
    String reason = ((KeyLookupResult.TempFail) result).reason();
    if (reason.length() > MAX_REASON_CHARS) {
      reason = reason.substring(0, MAX_REASON_CHARS);
    }
    return new CachedAnswer(AnswerType.SERVFAIL, reason.getBytes(StandardCharsets.UTF_8), expires);
  }

  private static byte[] found(KeyLookupResult.Found found) {
    List<byte[]> texts = new ArrayList<>();
    int size = HEADER;
    for (KeyLookupResult.TxtRecord r : found.records()) {
      byte[] text = r.text().getBytes(StandardCharsets.UTF_8);
      texts.add(text);
      size += RECORD_HEADER + text.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    out.put((byte) (found.dnssecSecure() ? DNSSEC_SECURE : 0));
    out.putInt(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      OptionalLong ttl = found.records().get(i).ttl();
      // RFC 2181 §8: a TTL is at most 2^31 - 1.
      out.putInt(
          ttl.isPresent() ? (int) Math.max(0, Math.min(Integer.MAX_VALUE, ttl.getAsLong())) : -1);
      out.putInt(texts.get(i).length);
      out.put(texts.get(i));
    }
    return out.array();
  }

  /**
   * The result {@code answer} stands for, negative TTLs counted down to {@code now}; empty when its
   * payload is malformed or of another format version.
   */
  static Optional<KeyLookupResult> decode(CachedAnswer answer, Instant now) {
    switch (answer.type()) {
      case ANSWER:
        return found(answer.data());
      case NXDOMAIN:
        return Optional.of(new KeyLookupResult.NxDomain(OptionalLong.of(secondsLeft(answer, now))));
      case NODATA:
        return Optional.of(new KeyLookupResult.NoData(OptionalLong.of(secondsLeft(answer, now))));
      case SERVFAIL:
        return Optional.of(
            new KeyLookupResult.TempFail(new String(answer.data(), StandardCharsets.UTF_8)));
      default:
        return Optional.empty();
    }
  }

  private static long secondsLeft(CachedAnswer answer, Instant now) {
    Duration left = answer.remainingTtl(now);
    return left.toSeconds() + (left.toMillisPart() > 0 ? 1 : 0);
  }

  private static Optional<KeyLookupResult> found(byte[] data) {
    ByteBuffer in = ByteBuffer.wrap(data);
    if (in.remaining() < HEADER || in.get() != VERSION) {
      return Optional.empty();
    }
    boolean secure = (in.get() & DNSSEC_SECURE) != 0;
    int count = in.getInt();
    if (count < 0 || count > in.remaining() / RECORD_HEADER) {
      return Optional.empty();
    }
    List<KeyLookupResult.TxtRecord> records = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (in.remaining() < RECORD_HEADER) {
        return Optional.empty();
      }
      int ttl = in.getInt();
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        return Optional.empty();
      }
      String text = new String(data, in.position(), length, StandardCharsets.UTF_8);
      in.position(in.position() + length);
      records.add(
          new KeyLookupResult.TxtRecord(
              text, ttl < 0 ? OptionalLong.empty() : OptionalLong.of(ttl)));
    }
    return in.hasRemaining()
        ? Optional.empty()
        : Optional.of(new KeyLookupResult.Found(records, secure));
  }
}
