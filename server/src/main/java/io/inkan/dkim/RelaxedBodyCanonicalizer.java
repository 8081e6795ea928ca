package io.inkan.dkim;

/**
 * The "relaxed" body algorithm (RFC 6376 §3.4.4): white space at line ends removed, white-space
 * runs reduced to one SP, trailing empty lines dropped, a non-empty body ends in one CRLF and an
 * empty one stays empty.
 */
public final class RelaxedBodyCanonicalizer extends BodyCanonicalizer {
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
        content((byte) '\r');
      }
    }
    for (; i < end; i++) {
      byte c = b[i];
      if (c == ' ' || c == '\t') {
        pendingSpace = true;
      } else if (c == '\r') {
        if (i + 1 == end) {
          pendingCr = true;
        } else if (b[i + 1] == '\n') {
          lineEnd();
          i++;
        } else {
          content(c);
        }
      } else {
        content(c);
      }
    }
  }

  private void lineEnd() {
    pendingSpace = false;
    pendingCrlf++;
  }

  private void content(byte c) {
    if (pendingCrlf > 0) {
      flushPendingLines();
    }
    if (pendingSpace) {
      pendingSpace = false;
      put((byte) ' ');
    }
    put(c);
  }

  @Override
  public void finish() {
    if (pendingCr) {
      pendingCr = false;
      content((byte) '\r');
    }
    if (nonEmpty) {
      endWithCrlf();
    }
    flush();
  }
}
