package io.inkan.dkim;

/**
 * The "relaxed" body algorithm (RFC 6376 §3.4.4): white space at line ends removed, white-space
 * runs reduced to one SP, trailing empty lines dropped, a non-empty body ends in one CRLF and an
 * empty one stays empty.
 *
 * <p>The input is copied in runs, not byte by byte: a run is text that is already canonical,
 * including single SPs and CRLFs that ordinary bytes follow (neither can be a line's trailing
 * white space nor a trailing empty line). Only SP/HTAB runs, CRs and the ends of chunks stop it.
 */
public final class RelaxedBodyCanonicalizer extends BodyCanonicalizer {
  private static final byte[] SP = {' '};
  private static final byte[] CR = {'\r'};

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
      i = canonicalRunEnd(b, i, end);
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
   * alone before an ordinary byte, or CR that does not start CRLF plus an ordinary byte. A run
   * never starts with SP or CRLF, as white space held from before would go out ahead of it.
   */
  private static int canonicalRunEnd(byte[] b, int start, int end) {
    int i = start;
    while (i < end) {
      byte c = b[i];
      if (c > ' ' || c < 0) {
        i++;
      } else if (c == ' ') {
        if (i > start && i + 1 < end && isOrdinary(b[i + 1])) {
          i += 2;
        } else {
          return i;
        }
      } else if (c == '\r') {
        if (i > start && i + 2 < end && b[i + 1] == '\n' && isOrdinary(b[i + 2])) {
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
      put(SP, 0, 1);
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
