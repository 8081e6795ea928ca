package io.inkan.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;

/**
 * The memcached value format: the magic bytes {@code IK}, the {@link AnswerCodec} header and
 * payload (format version, type, expiry, data), then an HMAC-SHA256 (RFC 2104) over a context
 * label, the length-prefixed normalised name, and everything before the MAC. Binding the name and
 * expiry means a value can neither be moved to another name nor have its life extended; memcached's
 * own expiry is only a hint. Decoding never throws: a bad value comes back as a {@link Decoded}.
 */
final class SignedValueCodec {
  /** The format version this node writes and reads. */
  static final int VERSION = 1;

  static final int MAC_BYTES = 32;
  static final byte[] MAGIC = {'I', 'K'};
  private static final byte[] CONTEXT = "inkan-query-cache\0".getBytes(StandardCharsets.US_ASCII);

  private final ThreadLocal<Mac> macs;

  SignedValueCodec(ClusterSecret secret) {
    this.macs = ThreadLocal.withInitial(secret::newMac);
  }

  /** What a stored value turned out to be. */
  sealed interface Decoded {}

  /** An authentic answer (possibly expired). */
  record Valid(CachedAnswer answer) implements Decoded {}

  /** An Inkan value in a format version this node does not know (a rolling upgrade). */
  record OtherVersion(int version) implements Decoded {}

  /** A value that is malformed, not Inkan's, or fails authentication. */
  record Rejected(String reason) implements Decoded {}

  byte[] encode(String normalisedName, CachedAnswer answer) {
    byte[] value = AnswerCodec.encode(MAGIC, VERSION, answer, MAC_BYTES);
    int signed = value.length - MAC_BYTES;
    System.arraycopy(mac(normalisedName, value, signed), 0, value, signed, MAC_BYTES);
    return value;
  }

  Decoded decode(String normalisedName, byte[] value) {
    if (value.length < MAGIC.length
        || !Arrays.equals(value, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      return new Rejected("not an Inkan cache value");
    }
    int version = AnswerCodec.version(value, MAGIC.length);
    if (version < 0) {
      return new Rejected("value truncated after its magic");
    }
    if (version != VERSION) {
      return new OtherVersion(version);
    }
    int signed = value.length - MAC_BYTES;
    if (signed < MAGIC.length + AnswerCodec.HEADER) {
      return new Rejected("value too short (" + value.length + " bytes)");
    }
    byte[] expected = mac(normalisedName, value, signed);
    byte[] actual = Arrays.copyOfRange(value, signed, value.length);
    if (!MessageDigest.isEqual(expected, actual)) {
      return new Rejected("MAC mismatch");
    }
    CachedAnswer answer = AnswerCodec.decode(value, MAGIC.length, signed);
    return answer == null ? new Rejected("unknown answer type") : new Valid(answer);
  }

  private byte[] mac(String normalisedName, byte[] value, int length) {
    byte[] name = normalisedName.getBytes(StandardCharsets.UTF_8);
    Mac mac = macs.get();
    mac.update(CONTEXT);
    mac.update(ByteBuffer.allocate(4).putInt(name.length).array());
    mac.update(name);
    mac.update(value, 0, length);
    return mac.doFinal();
  }
}
