package io.inkan.dkim;

/**
 * The "simple" body algorithm (RFC 6376 §3.4.3): the body unchanged except that trailing empty
 * lines are dropped and the result ends in exactly one CRLF (an empty body becomes CRLF).
 *
 * <p>Input passes through in runs; a run stops only at a CRLF that may start the trailing empty
 * lines (one followed by CR or by the end of the chunk) and at a CR ending the chunk.
 */
public final class SimpleBodyCanonicalizer extends BodyCanonicalizer {
  private static final byte[] CR = {'\r'};
  private static final long CRS = repeated('\r');

  SimpleBodyCanonicalizer(BodyHasher sink) {
    super(sink);
  }

  @Override
  public void update(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    if (pendingCr && i < end) {
      pendingCr = false;
      if (b[i] == '\n') {
        pendingCrlf++;
        i++;
      } else {
        content(CR, 0, 1);
      }
    }
    while (i < end) {
      int run = i;
      i = runEnd(b, i, end);
      content(b, run, i - run);
      if (i == end) {
        return;
      }
      if (i + 1 == end) {
        pendingCr = true;
        return;
      }
      pendingCrlf++;
      i += 2;
    }
  }

  /**
   * The first CR from {@code i} that ends the chunk or starts CRLF followed by CR or the end. Eight
   * bytes at a time while there is no CR among them.
   */
  private static int runEnd(byte[] b, int i, int end) {
    while (i < end) {
      if (i <= end - Long.BYTES) {
        long cr = matches(word(b, i), CRS);
        if (cr == 0) {
          i += Long.BYTES;
          continue;
        }
        i += Long.numberOfTrailingZeros(cr) >>> 3;
      }
      if (b[i] != '\r') {
        i++;
      } else if (i + 1 == end) {
        return i;
      } else if (b[i + 1] != '\n') {
        i++;
      } else if (i + 2 < end && b[i + 2] != '\r') {
        i += 3;
      } else {
        return i;
      }
    }
    return end;
  }

  private void content(byte[] b, int off, int len) {
    if (len > 0) {
      flushPendingLines();
      put(b, off, len);
    }
  }

  @Override
  public void finish() {
    if (pendingCr) {
      pendingCr = false;
      content(CR, 0, 1);
    }
    endWithCrlf();
    flush();
  }
}
