package io.inkan.dkim;

/**
 * The "simple" body algorithm (RFC 6376 §3.4.3): the body unchanged except that trailing empty
 * lines are dropped and the result ends in exactly one CRLF (an empty body becomes CRLF).
 */
public final class SimpleBodyCanonicalizer extends BodyCanonicalizer {
  private static final byte[] CR = {'\r'};

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
    int runStart = i;
    while (i < end) {
      if (b[i] != '\r') {
        i++;
        continue;
      }
      if (i + 1 == end) {
        content(b, runStart, i - runStart);
        pendingCr = true;
        return;
      }
      if (b[i + 1] != '\n') {
        i++;
        continue;
      }
      content(b, runStart, i - runStart);
      pendingCrlf++;
      i += 2;
      runStart = i;
    }
    content(b, runStart, end - runStart);
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
