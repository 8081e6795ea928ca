package io.inkan.dkim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a raw RFC 5322 message, fed in chunks of any size, into header fields and body chunks for
 * a {@link MessageSink}. Bare LF line ends become CRLF (so Unix-format files work); bare CR is kept
 * as data. Headers are held only until their field ends; the body is never buffered.
 */
public final class MessageParser {
  /** Default cap on the header block: far above any MTA's limit. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;

  private static final byte[] CRLF = {'\r', '\n'};

  private final MessageSink sink;
  private final int maxHeaderBytes;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
  private final ByteArrayOutputStream field = new ByteArrayOutputStream(256);
  private boolean inBody;
  private boolean overflow;
  private long headerBytes;
  private boolean lastWasCr;
  private byte[] scratch = new byte[0];

  public MessageParser(MessageSink sink) {
    this(sink, DEFAULT_MAX_HEADER_BYTES);
  }

  public MessageParser(MessageSink sink, int maxHeaderBytes) {
    if (maxHeaderBytes < 1024) {
      throw new IllegalArgumentException("maxHeaderBytes must be >= 1024, got " + maxHeaderBytes);
    }
    this.sink = sink;
    this.maxHeaderBytes = maxHeaderBytes;
  }

  public void update(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i < end && !inBody) {
      byte c = b[i++];
      if (c == '\n') {
        endHeaderLine();
      } else {
        if (lastWasCr) {
          keep((byte) '\r');
        }
        lastWasCr = c == '\r';
        if (!lastWasCr) {
          keep(c);
        }
      }
    }
    if (i < end) {
      body(b, i, end - i);
    }
  }

  public void finish() {
    if (!inBody) {
      if (lastWasCr) {
        line.write('\r');
        lastWasCr = false;
      }
      if (line.size() > 0) {
        endHeaderLine();
      }
      if (!inBody) {
        flushField();
        inBody = true;
        sink.endOfHeaders();
      }
    }
  }

  /** Keeps a header byte unless one line alone exceeds the cap (then endHeaderLine reports it). */
  private void keep(byte c) {
    if (line.size() <= maxHeaderBytes) {
      line.write(c);
    }
  }

  private void endHeaderLine() {
    lastWasCr = false;
    headerBytes += line.size() + 2;
    if (line.size() == 0) {
      flushField();
      inBody = true;
      sink.endOfHeaders();
      return;
    }
    byte first = line.toByteArray()[0];
    if ((first == ' ' || first == '\t') && field.size() > 0) {
      field.write(CRLF, 0, 2);
    } else {
      flushField();
    }
    if (headerBytes > maxHeaderBytes) {
      if (!overflow) {
        overflow = true;
        sink.malformed("header block exceeds " + maxHeaderBytes + " bytes");
      }
    } else {
      field.writeBytes(line.toByteArray());
    }
    line.reset();
  }

  private void flushField() {
    if (field.size() > 0) {
      sink.header(HeaderField.of(field.toString(StandardCharsets.ISO_8859_1)));
      field.reset();
    }
  }

  /** Body bytes: pass CRLF through, turn a bare LF into CRLF. */
  private void body(byte[] b, int off, int len) {
    int end = off + len;
    int start = off;
    int out = 0;
    for (int i = off; i < end; i++) {
      if (b[i] == '\n' && !(i > off ? b[i - 1] == '\r' : lastWasCr)) {
        if (scratch.length < len * 2) {
          scratch = new byte[len * 2];
        }
        System.arraycopy(b, start, scratch, out, i - start);
        out += i - start;
        scratch[out++] = '\r';
        start = i;
      }
    }
    lastWasCr = len > 0 && b[end - 1] == '\r';
    if (out == 0) {
      sink.body(b, off, len);
      return;
    }
    System.arraycopy(b, start, scratch, out, end - start);
    out += end - start;
    sink.body(scratch, 0, out);
  }
}
