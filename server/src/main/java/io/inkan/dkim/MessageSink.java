package io.inkan.dkim;

/** Receives a message as header fields, then the body in chunks with CRLF line ends. */
public interface MessageSink {
  void header(HeaderField field);

  void endOfHeaders();

  void body(byte[] b, int off, int len);

  /** The message could not be taken whole (e.g. its header block is too large). */
  default void malformed(String reason) {}
}
