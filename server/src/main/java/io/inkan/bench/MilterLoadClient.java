package io.inkan.bench;

import io.inkan.config.SocketSpec;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One MTA-side milter session on a blocking socket, as Postfix drives it: offers protocol version 6
 * with every action and step, connects once, then runs transactions (MAIL, RCPT, DATA, headers, end
 * of headers, body, end of message) back to back. It sends only the steps the filter did not waive
 * ({@code SMFIP_NO*}) and waits for a reply only where the filter did not waive one ({@code
 * SMFIP_NR_*}); frames that need no reply are batched into the next write.
 */
public final class MilterLoadClient implements AutoCloseable {
  /** A message's outcome: the final verdict and the names of added or inserted header fields. */
  public record Result(Verdict verdict, List<String> addedHeaders) {}

  static final int VERSION = 6;
  static final int ALL_ACTIONS = 0x1ff;
  static final int ALL_STEPS = 0x1fffff;
  static final int MAX_CHUNK = 65535;

  private static final int NOCONNECT = 0x1;
  private static final int NOMAIL = 0x4;
  private static final int NORCPT = 0x8;
  private static final int NOBODY = 0x10;
  private static final int NOHDRS = 0x20;
  private static final int NOEOH = 0x40;
  private static final int NR_HDR = 0x80;
  private static final int NODATA = 0x200;
  private static final int NR_CONN = 0x1000;
  private static final int NR_MAIL = 0x4000;
  private static final int NR_RCPT = 0x8000;
  private static final int NR_DATA = 0x10000;
  private static final int NR_EOH = 0x40000;
  private static final int NR_BODY = 0x80000;
  private static final int HDR_LEADSPC = 0x100000;

  private final SocketChannel channel;
  private final ByteBuffer out = ByteBuffer.allocateDirect(256 * 1024);
  private ByteBuffer in = ByteBuffer.allocateDirect(128 * 1024);
  private int protocol;
  private char replyCommand;
  private byte[] replyPayload;

  private MilterLoadClient(SocketChannel channel) {
    this.channel = channel;
    in.flip();
  }

  /** Opens a blocking connection to {@code spec} ({@code TCP_NODELAY} on inet sockets). */
  public static MilterLoadClient open(SocketSpec spec) throws IOException {
    if (spec instanceof SocketSpec.Local l) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        ch.connect(UnixDomainSocketAddress.of(l.path()));
      } catch (IOException e) {
        ch.close();
        throw e;
      }
      return new MilterLoadClient(ch);
    }
    SocketSpec.Inet i = (SocketSpec.Inet) spec;
    InetAddress host =
        i.host().isPresent()
            ? InetAddress.getByName(i.host().get())
            : InetAddress.getByName(i.ipv6() ? "::1" : "127.0.0.1");
    SocketChannel ch = SocketChannel.open(new InetSocketAddress(host, i.port()));
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    return new MilterLoadClient(ch);
  }

  /**
   * Negotiates and sends the SMTP connection from {@code clientIp}; a final verdict other than
   * continue at connect means the filter wants nothing more of this connection.
   */
  public Optional<Verdict> start(String clientIp) throws IOException {
    frame('O', int32(VERSION), int32(ALL_ACTIONS), int32(ALL_STEPS));
    flush();
    read();
    if (replyCommand != 'O' || replyPayload.length < 12) {
      throw new IOException("expected an O (negotiate) reply, got " + replyCommand);
    }
    protocol = ByteBuffer.wrap(replyPayload).getInt(8);
    byte family = (byte) (clientIp.indexOf(':') >= 0 ? '6' : '4');
    return step(
        NOCONNECT,
        NR_CONN,
        'C',
        text("client.example"),
        new byte[] {family, 0, 25},
        text(clientIp));
  }

  /**
   * One transaction: MAIL-stage macros, MAIL, RCPT, DATA, headers, end of headers, body in chunks
   * of at most {@value #MAX_CHUNK} bytes, end of message; stops early at a final verdict.
   *
   * @param macros name, value, name, value ... sent as the MAIL stage's macros (none: no frame)
   */
  public Result message(
      List<BenchMessage.Header> headers, BenchMessage message, List<String> macros)
      throws IOException {
    if (!macros.isEmpty()) {
      byte[][] parts = new byte[macros.size() + 1][];
      parts[0] = new byte[] {'M'};
      for (int i = 0; i < macros.size(); i++) {
        parts[i + 1] = text(macros.get(i));
      }
      frame('D', parts);
    }
    Optional<Verdict> early = step(NOMAIL, NR_MAIL, 'M', text("<sender@example.com>"));
    if (early.isEmpty()) {
      early = step(NORCPT, NR_RCPT, 'R', text("<rcpt@example.net>"));
    }
    if (early.isEmpty()) {
      early = step(NODATA, NR_DATA, 'T');
    }
    for (int i = 0; early.isEmpty() && i < headers.size(); i++) {
      BenchMessage.Header h = headers.get(i);
      String value = h.value();
      if ((protocol & HDR_LEADSPC) == 0 && value.startsWith(" ")) {
        value = value.substring(1);
      }
      early = step(NOHDRS, NR_HDR, 'L', text(h.name()), text(value));
    }
    if (early.isEmpty()) {
      early = step(NOEOH, NR_EOH, 'N');
    }
    for (int at = 0; early.isEmpty() && at < message.bodyLength(); at += MAX_CHUNK) {
      byte[] chunk = new byte[Math.min(MAX_CHUNK, message.bodyLength() - at)];
      message.copyBody(at, chunk, 0, chunk.length);
      early = step(NOBODY, NR_BODY, 'B', chunk);
      if (early.isEmpty() && replyCommand == 's') {
        break;
      }
    }
    if (early.isPresent()) {
      flush();
      return new Result(early.get(), List.of());
    }
    frame('E');
    flush();
    List<String> added = new ArrayList<>();
    while (true) {
      read();
      Verdict v = Verdict.of(replyCommand, replyPayload);
      if (v != null) {
        return new Result(v, added);
      }
      if (replyCommand == 'h' || replyCommand == 'i') {
        int start = replyCommand == 'i' ? 4 : 0;
        int end = start;
        while (end < replyPayload.length && replyPayload[end] != 0) {
          end++;
        }
        added.add(new String(replyPayload, start, end - start, StandardCharsets.ISO_8859_1));
      }
    }
  }

  /**
   * Sends a step unless waived and reads its reply unless waived: a final verdict other than
   * continue ends the transaction; a skip reply ({@code s}) is left in {@link #replyCommand}.
   */
  private Optional<Verdict> step(int noFlag, int noReplyFlag, char command, byte[]... parts)
      throws IOException {
    replyCommand = 0;
    if ((protocol & noFlag) != 0) {
      return Optional.empty();
    }
    frame(command, parts);
    if ((protocol & noReplyFlag) != 0) {
      return Optional.empty();
    }
    flush();
    do {
      read();
    } while (replyCommand == 'p');
    Verdict v = Verdict.of(replyCommand, replyPayload);
    return v == null || v == Verdict.CONTINUE ? Optional.empty() : Optional.of(v);
  }

  private void frame(char command, byte[]... parts) throws IOException {
    int len = 1;
    for (byte[] p : parts) {
      len += p.length;
    }
    if (out.remaining() < len + 4) {
      flush();
    }
    out.putInt(len).put((byte) command);
    for (byte[] p : parts) {
      out.put(p);
    }
  }

  private void flush() throws IOException {
    out.flip();
    while (out.hasRemaining()) {
      channel.write(out);
    }
    out.clear();
  }

  private void read() throws IOException {
    fill(4);
    int len = in.getInt();
    if (len < 1 || len > 16 * 1024 * 1024) {
      throw new IOException("reply frame length " + len + " (expected: 1 to 16M)");
    }
    if (in.capacity() < len) {
      ByteBuffer bigger = ByteBuffer.allocateDirect(len + 4);
      bigger.put(in).flip();
      in = bigger;
    }
    fill(len);
    replyCommand = (char) in.get();
    replyPayload = new byte[len - 1];
    in.get(replyPayload);
  }

  private void fill(int n) throws IOException {
    if (in.remaining() >= n) {
      return;
    }
    in.compact();
    while (in.position() < n) {
      if (channel.read(in) < 0) {
        throw new EOFException("the filter closed the connection");
      }
    }
    in.flip();
  }

  private static byte[] text(String s) {
    byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
    byte[] z = new byte[b.length + 1];
    System.arraycopy(b, 0, z, 0, b.length);
    return z;
  }

  private static byte[] int32(int v) {
    return ByteBuffer.allocate(4).putInt(v).array();
  }

  /** Sends {@code Q} (quit) and closes; errors are ignored, the session is over either way. */
  @Override
  public void close() {
    try {
      frame('Q');
      flush();
    } catch (IOException ignored) {
      // closing anyway
    }
    try {
      channel.close();
    } catch (IOException ignored) {
      // nothing left to do
    }
  }
}
