package io.inkan.cli;

import io.inkan.dkim.MessageParser;
import io.inkan.dkim.MessageSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Streams a message into the engine in fixed-size chunks. */
final class MessageFiles {
  private MessageFiles() {}

  static void feed(Path file, MessageSink sink) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      feed(in, sink);
    }
  }

  static void feed(InputStream in, MessageSink sink) throws IOException {
    MessageParser parser = new MessageParser(sink);
    byte[] buf = new byte[1 << 16];
    int n;
    while ((n = in.read(buf)) > 0) {
      parser.update(buf, 0, n);
    }
    parser.finish();
  }
}
