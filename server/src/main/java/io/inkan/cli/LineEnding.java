package io.inkan.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The line ending a message came with, so output can keep it. */
enum LineEnding {
  CRLF,
  LF;

  /** Copies {@code in} to {@code out}; the first line's ending decides (CRLF when none). */
  static LineEnding copyDetecting(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[1 << 16];
    LineEnding found = null;
    byte previous = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      for (int i = 0; found == null && i < n; i++) {
        if (buf[i] == '\n') {
          found = (i > 0 ? buf[i - 1] : previous) == '\r' ? CRLF : LF;
        }
      }
      previous = buf[n - 1];
      out.write(buf, 0, n);
    }
    return found == null ? CRLF : found;
  }

  /** Rewrites CRLF text into this ending. */
  String apply(String crlfText) {
    return this == CRLF ? crlfText : crlfText.replace("\r\n", "\n");
  }
}
