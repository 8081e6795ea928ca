package io.inkan.dkim;

/**
 * The "relaxed" body algorithm (RFC 6376 §3.4.4): white space at line ends removed, white-space
 * runs reduced to one SP, trailing empty lines dropped, a non-empty body ends in one CRLF and an
 * empty one stays empty.
 *
 * <p>The input is copied in runs, not byte by byte: a run is text that is already canonical,
 * including single SPs and CRLFs that ordinary bytes follow (neither can be a line's trailing white
 * space nor a trailing empty line). Only HTABs, SPs before white space or CR, CRs and the ends of
 * chunks stop a run, which is scanned eight bytes at a time.
 */
public final class RelaxedBodyCanonicalizer extends BodyCanonicalizer {
  private static final byte[] CR = {'\r'};
  private static final long SPS = repeated(' ');
  private static final long TABS = repeated('\t');
  private static final long CRS = repeated('\r');
  private static final long LAST_BYTE = 0x8000000000000000L;

  /** White space was seen; one SP goes out if more content follows on the same line. */
  private boolean pendingSpace;

  RelaxedBodyCanonicalizer(BodyHasher sink) {
    super(sink);
  }

  @Override
  public void update(byte[] b, int off, int len) {
    int end = off + len;
    int i = off;
    if (pendingCr && i < end) {
      pendingCr = false;
      if (b[i] == '\n') {
        lineEnd();
        i++;
      } else {
        content(CR, 0, 1);
      }
    }
    while (i < end) {
      int run = i;
      i = canonicalRunEnd(b, i, end, pendingSpace);
      content(b, run, i - run);
      if (i == end) {
        return;
      }
      if (b[i] == '\r') {
        if (i + 1 == end) {
          pendingCr = true;
          return;
        }
        if (b[i + 1] == '\n') {
          lineEnd();
          i += 2;
        } else {
          content(CR, 0, 1);
          i++;
        }
      } else {
        pendingSpace = true;
        i++;
        while (i < end && isWsp(b[i])) {
          i++;
        }
      }
    }
  }

  /**
   * The end of the canonical run starting at {@code start}: the first HTAB, SP that does not stand
   * alone before an ordinary byte, or CR that does not start CRLF plus an ordinary byte. While a
   * space is held, a run cannot start with SP or CRLF: the held SP would go out ahead of it.
   */
  private static int canonicalRunEnd(byte[] b, int start, int end, boolean spaceHeld) {
    int open = spaceHeld ? start + 1 : start; // from here on, SP and CRLF may join the run
    int i = start;
    while (i < end) {
      if (i >= open && i <= end - Long.BYTES) {
        long stop = stops(word(b, i));
        if (stop == 0) {
          i += Long.BYTES;
          continue;
        }
        i += Long.numberOfTrailingZeros(stop) >>> 3;
      }
      byte c = b[i];
      if (c > ' ' || c < 0) {
        i++;
      } else if (c == ' ') {
        if (i >= open && i + 1 < end && isOrdinary(b[i + 1])) {
          i += 2;
        } else {
          return i;
        }
      } else if (c == '\r') {
        if (i >= open && i + 2 < end && b[i + 1] == '\n' && isOrdinary(b[i + 2])) {
          i += 3;
        } else {
          return i;
        }
      } else if (c == '\t') {
        return i;
      } else {
        i++; // LF, NUL and other controls are content like any letter
      }
    }
    return end;
  }

  /**
   * Eight bytes at once: a mask whose lowest bit is at or before the first byte that may end a run
   * (HTAB, CR, SP before SP/HTAB/CR, SP last in the word), or zero if all eight are canonical.
   */
  private static long stops(long x) {
    long sp = matches(x, SPS);
    long tab = matches(x, TABS);
    long cr = matches(x, CRS);
    long special = tab | cr;
    return special | (sp & ((sp | special) >>> 8)) | (sp & LAST_BYTE);
  }

  private static boolean isWsp(byte c) {
    return c == ' ' || c == '\t';
  }

  private static boolean isOrdinary(byte c) {
    return c != ' ' && c != '\t' && c != '\r';
  }

  private void lineEnd() {
    pendingSpace = false;
    pendingCrlf++;
  }

  private void content(byte[] b, int off, int len) {
    if (len == 0) {
      return;
    }
    if (pendingCrlf > 0) {
      flushPendingLines();
    }
    if (pendingSpace) {
      pendingSpace = false;
      put((byte) ' ');
    }
    put(b, off, len);
  }

  @Override
  public void finish() {
    if (pendingCr) {
      pendingCr = false;
      content(CR, 0, 1);
    }
    if (nonEmpty) {
      endWithCrlf();
    }
    flush();
  }
}
