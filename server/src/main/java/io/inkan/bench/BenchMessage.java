package io.inkan.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The message the load client sends, split the way an MTA hands it to a milter: header fields (name
 * and value, folding kept as CRLF) and a body with CRLF line ends. The file may use LF or CRLF.
 */
public final class BenchMessage {
  /** One header field; {@code value} is everything after the colon, leading space included. */
  public record Header(String name, String value) {}

  private final List<Header> headers;
  private final byte[] body;
  private final int fromIndex;

  private BenchMessage(List<Header> headers, byte[] body) {
    this.headers = List.copyOf(headers);
    this.body = body;
    int from = -1;
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i).name().equalsIgnoreCase("From")) {
        from = i;
        break;
      }
    }
    this.fromIndex = from;
  }

  public static BenchMessage read(Path file) throws IOException {
    return parse(Files.readAllBytes(file));
  }

  /** Splits a message at its first empty line; a message without one is all header. */
  public static BenchMessage parse(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    int split = text.startsWith("\n") ? 0 : text.indexOf("\n\n");
    String head = split < 0 ? text : text.substring(0, split);
    String body = split < 0 ? "" : text.substring(split + (split == 0 ? 1 : 2));
    List<Header> headers = new ArrayList<>();
    for (String field : head.split("\n(?![ \t])")) {
      int colon = field.indexOf(':');
      if (colon > 0) {
        headers.add(
            new Header(
                field.substring(0, colon), field.substring(colon + 1).replace("\n", "\r\n")));
      }
    }
    return new BenchMessage(
        headers, body.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1));
  }

  public List<Header> headers() {
    return headers;
  }

  /** The body with CRLF line ends. */
  public byte[] body() {
    return body.clone();
  }

  int bodyLength() {
    return body.length;
  }

  void copyBody(int from, byte[] to, int at, int length) {
    System.arraycopy(body, from, to, at, length);
  }

  /**
   * The header fields with the From address's domain prefixed by {@code prefix} ({@code dK.}); the
   * fields unchanged when there is no From field or it has no {@code @}.
   */
  public List<Header> headersWithFromPrefix(String prefix) {
    if (fromIndex < 0) {
      return headers;
    }
    Header from = headers.get(fromIndex);
    int at = from.value().lastIndexOf('@');
    if (at < 0) {
      return headers;
    }
    String v = from.value();
    List<Header> out = new ArrayList<>(headers);
    out.set(
        fromIndex, new Header(from.name(), v.substring(0, at + 1) + prefix + v.substring(at + 1)));
    return out;
  }
}
