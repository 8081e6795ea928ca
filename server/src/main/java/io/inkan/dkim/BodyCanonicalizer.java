package io.inkan.dkim;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A streaming body canonicalizer (RFC 6376 §3.4.3, §3.4.4): takes the body in chunks of any size,
 * CRLF line ends, and passes canonical bytes on to a {@link BodyHasher}. Trailing empty lines are
 * held back until later content shows they are not trailing, so nothing but a counter is buffered.
 */
public abstract sealed class BodyCanonicalizer
    permits SimpleBodyCanonicalizer, RelaxedBodyCanonicalizer {
  private static final byte[] CRLF = {'\r', '\n'};
  private static final int BUFFER = 8192;
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;

  private final BodyHasher sink;
  private final byte[] buffer = new byte[BUFFER];
  private int used;

  /** Complete line ends seen but not yet written: they may turn out to be trailing empty lines. */
  protected long pendingCrlf;

  /** The previous chunk ended in CR; whether it starts a CRLF depends on the next byte. */
  protected boolean pendingCr;

  /** Whether any canonical byte other than held-back line ends has been produced. */
  protected boolean nonEmpty;

  protected BodyCanonicalizer(BodyHasher sink) {
    this.sink = sink;
  }

  public static BodyCanonicalizer of(Canonicalization c, BodyHasher sink) {
    return c == Canonicalization.SIMPLE
        ? new SimpleBodyCanonicalizer(sink)
        : new RelaxedBodyCanonicalizer(sink);
  }

  /** Feeds the next body chunk. */
  public abstract void update(byte[] b, int off, int len);

  /** Ends the body; writes the closing CRLF the algorithm calls for and flushes. */
  public abstract void finish();

  /** Eight bytes from {@code b[i]} on, {@code b[i]} lowest. */
  static long word(byte[] b, int i) {
    return (long) LONG.get(b, i);
  }

  /** {@code c} in each of a long's eight bytes, for {@link #matches}. */
  static long repeated(char c) {
    return ONES * c;
  }

  /**
   * A mask with the high bit set in each byte of {@code x} equal to the byte {@code pattern}
   * repeats (SWAR). It never misses a match, and its lowest bit is always a true match; bits above
   * a match may be false, so callers use it only to skip bytes that certainly do not match.
   */
  static long matches(long x, long pattern) {
    long y = x ^ pattern;
    return (y - ONES) & ~y & HIGHS;
  }

  protected final void flushPendingLines() {
    while (pendingCrlf > 0) {
      put(CRLF, 0, 2);
      pendingCrlf--;
    }
  }

  protected final void put(byte b) {
    if (used == BUFFER) {
      flush();
    }
    buffer[used++] = b;
    nonEmpty = true;
  }

  protected final void put(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    nonEmpty = true;
    if (len > BUFFER - used) {
      flush();
      if (len >= BUFFER) {
        sink.update(b, off, len);
        return;
      }
    }
    System.arraycopy(b, off, buffer, used, len);
    used += len;
  }

  protected final void endWithCrlf() {
    put(CRLF, 0, 2);
  }

  protected final void flush() {
    if (used > 0) {
      sink.update(buffer, 0, used);
      used = 0;
    }
  }
}
