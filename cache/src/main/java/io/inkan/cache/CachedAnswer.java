package io.inkan.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;

/**
 * One cached DNS outcome: its type, opaque payload bytes (the caller's serialised records; empty
 * for negative answers) and the absolute time it stops being valid. An absolute expiry lets a lower
 * layer's hit be copied up with exactly its remaining TTL (RFC 2308 §5: a negative answer's TTL
 * counts down like any other). Expiry is held to millisecond precision and at most the end of year
 * 9999.
 *
 * @param type the kind of answer
 * @param data the payload (copied in and out)
 * @param expires the instant from which the answer must no longer be served
 */
public record CachedAnswer(AnswerType type, byte[] data, Instant expires) {
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

  public CachedAnswer {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(expires, "expires");
    data = data == null ? new byte[0] : data.clone();
    expires = expires.isAfter(LATEST) ? LATEST : expires.truncatedTo(ChronoUnit.MILLIS);
  }

  /** An answer that lives for {@code ttl} from the clock's current time. */
  public static CachedAnswer expiringIn(AnswerType type, byte[] data, Duration ttl, Clock clock) {
    return new CachedAnswer(type, data, clock.instant().plus(ttl));
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** Payload length without copying. */
  public int dataLength() {
    return data.length;
  }

  /** Whether the answer must no longer be served at {@code now}. */
  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expires);
  }

  /** Time left at {@code now}; zero once expired. */
  public Duration remainingTtl(Instant now) {
    Duration left = Duration.between(now, expires);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** The payload itself, for encoders in this package only. */
  byte[] rawData() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedAnswer other
        && type == other.type
        && expires.equals(other.expires)
        && Arrays.equals(data, other.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, expires, Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "CachedAnswer[" + type + ", " + data.length + " bytes, expires " + expires + "]";
  }
}
