package io.inkan.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The MTA side of the milter protocol, as Postfix drives it, for end-to-end tests: it offers
 * version 6 with every action and step, then sends only the steps the filter asked for and reads
 * replies only where the filter did not waive them (NO and NR flags).
 */
public final class MtaSimulator implements AutoCloseable {
  /** A reply frame: its command byte and payload. */
  public record Reply(char command, byte[] payload) {
    /** For {@code i}: the header name and value (LF folding turned into CRLF). */
    public String[] insertedHeader() {
      String s = new String(payload, 4, payload.length - 4, StandardCharsets.ISO_8859_1);
      String[] parts = s.split("\0", -1);
      return new String[] {parts[0], parts[1].replace("\r\n", "\n").replace("\n", "\r\n")};
    }

    /**
     * For {@code h} (add) or {@code i} (insert, after its index): the header name and value (LF
     * folding turned into CRLF). OpenDKIM's libmilter may use either.
     */
    public String[] header() {
      if (command == 'i') {
        return insertedHeader();
      }
      if (command != 'h') {
        throw new IllegalStateException("not a header reply: " + command);
      }
      String s = new String(payload, StandardCharsets.ISO_8859_1);
      String[] parts = s.split("\0", -1);
      return new String[] {parts[0], parts[1].replace("\r\n", "\n").replace("\n", "\r\n")};
    }
  }

  private final SocketChannel channel;
  private final InputStream in;
  private final OutputStream out;
  private int protocol;

  public MtaSimulator(Path socket) throws IOException {
    channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
    in = Channels.newInputStream(channel);
    out = Channels.newOutputStream(channel);
  }

  /** Whether a milter listens on {@code socket} (the file appears at bind, before listen). */
  public static boolean accepts(Path socket) {
    if (!java.nio.file.Files.exists(socket)) {
      return false;
    }
    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Negotiates and connects from {@code clientIp}. */
  public void open(String clientIp) throws IOException {
    send('O', int32(6), int32(0x1ff), int32(0x1fffff));
    Reply o = read();
    protocol = ByteBuffer.wrap(o.payload()).getInt(8);
    step(0x1, 0x1000, 'C', "client.example\0", new byte[] {'4', 0, 25}, clientIp + "\0");
  }

  /**
   * Sends one message and returns the end-of-message replies (modifications, then the verdict).
   *
   * @param macros name/value pairs sent for the MAIL stage, e.g. {@code {auth_authen}}
   */
  public List<Reply> message(String rawMessage, String... macros) throws IOException {
    if (macros.length > 0) {
      ByteArrayOutputStream d = new ByteArrayOutputStream();
      d.write('M');
      for (String m : macros) {
        d.writeBytes((m + "\0").getBytes(StandardCharsets.ISO_8859_1));
      }
      send('D', d.toByteArray());
    }
    step(0x4, 0x4000, 'M', "<sender@example.com>\0");
    step(0x8, 0x8000, 'R', "<rcpt@example.net>\0");
    int split = rawMessage.indexOf("\r\n\r\n");
    String head = rawMessage.substring(0, split + 2);
    String body = rawMessage.substring(split + 4);
    for (String field : head.split("\r\n(?![ \t])")) {
      int colon = field.indexOf(':');
      step(
          0x20,
          0x80,
          'L',
          field.substring(0, colon) + "\0",
          leadingSpace(field.substring(colon + 1)) + "\0");
    }
    step(0x40, 0x40000, 'N');
    step(0x10, 0x80000, 'B', body.getBytes(StandardCharsets.ISO_8859_1));
    send('E');
    List<Reply> replies = new ArrayList<>();
    Reply r;
    do {
      r = read();
      replies.add(r);
    } while ("acrtd".indexOf(r.command()) < 0);
    return replies;
  }

  private String leadingSpace(String value) {
    boolean keep = (protocol & 0x100000) != 0;
    return keep || !value.startsWith(" ") ? value : value.substring(1);
  }

  private void step(int noFlag, int noReplyFlag, char command, Object... parts) throws IOException {
    if ((protocol & noFlag) != 0) {
      return;
    }
    send(command, parts);
    if ((protocol & noReplyFlag) == 0) {
      read();
    }
  }

  private void send(char command, Object... parts) throws IOException {
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    payload.write(command);
    for (Object p : parts) {
      payload.writeBytes(
          p instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : (byte[]) p);
    }
    out.write(int32(payload.size()));
    out.write(payload.toByteArray());
    out.flush();
  }

  private Reply read() throws IOException {
    DataInputStream d = new DataInputStream(in);
    int len = d.readInt();
    byte[] frame = new byte[len];
    d.readFully(frame);
    byte[] payload = new byte[len - 1];
    System.arraycopy(frame, 1, payload, 0, len - 1);
    return new Reply((char) frame[0], payload);
  }

  private static byte[] int32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  @Override
  public void close() throws IOException {
    send('Q');
    channel.close();
  }
}
