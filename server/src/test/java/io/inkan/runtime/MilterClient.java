package io.inkan.runtime;

import io.inkan.testing.MilterFrames;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A hand-rolled MTA side of the milter protocol over a plain socket, for tests. */
final class MilterClient implements AutoCloseable {
  /** MTA offer: version 6, every action, every v6 protocol flag (no MDS). */
  static final byte[] OFFER = frame('O', int32(6), int32(0x1ff), int32(0x1fffff));

  private final AutoCloseable channel;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private MilterClient(Socket socket) throws IOException {
    this.channel = socket;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  private MilterClient(SocketChannel ch) {
    this.channel = ch;
    this.socket = null;
    this.in = Channels.newInputStream(ch);
    this.out = Channels.newOutputStream(ch);
  }

  static MilterClient connect(int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    s.setTcpNoDelay(true);
    s.setSoTimeout(5000);
    return new MilterClient(s);
  }

  static MilterClient connectUnix(java.nio.file.Path path) throws IOException {
    SocketChannel ch = SocketChannel.open(java.net.UnixDomainSocketAddress.of(path));
    return new MilterClient(ch);
  }

  Socket socket() {
    return socket;
  }

  void send(byte[]... frames) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      all.writeBytes(f);
    }
    out.write(all.toByteArray());
    out.flush();
  }

  /** Reads exactly {@code n} reply frames and returns them concatenated, as hex. */
  String read(int n) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    DataInputStream d = new DataInputStream(in);
    for (int i = 0; i < n; i++) {
      int len = d.readInt();
      byte[] rest = new byte[len];
      d.readFully(rest);
      all.writeBytes(int32(len));
      all.writeBytes(rest);
    }
    return hex(all.toByteArray());
  }

  /** One {@code read()} call: whatever the first segment(s) brought, as hex. */
  String readOnce() throws IOException {
    byte[] buf = new byte[65536];
    int n = in.read(buf);
    if (n < 0) {
      throw new EOFException();
    }
    return hex(Arrays.copyOf(buf, n));
  }

  /** True if the server closed the connection (EOF or reset) within the socket timeout. */
  boolean closedByServer() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // connection reset
    }
  }

  /** True if nothing arrives within {@code millis}. */
  boolean silentFor(int millis) throws IOException {
    int old = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      return in.read() == -2;
    } catch (SocketTimeoutException e) {
      return true;
    } finally {
      socket.setSoTimeout(old);
    }
  }

  /** Negotiates with {@link #OFFER} and connects; returns the replies as hex. */
  String open() throws IOException {
    send(OFFER);
    String o = read(1);
    send(
        frame(
            'C', "mx.example", "4".getBytes(StandardCharsets.ISO_8859_1), int16(25), "192.0.2.1"));
    return o + read(1);
  }

  /** One message up to (not including) the end of message; replies are read by the caller. */
  void message(String from) throws IOException {
    send(
        frame('M', "<" + from + ">"),
        frame('L', "From", from),
        frame('L', "Subject", "hi"),
        frame('N'),
        frame('B', "body\r\n".getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Override
  public void close() throws Exception {
    channel.close();
  }

  /** A frame: strings get a NUL, byte arrays go as they are. */
  static byte[] frame(char command, Object... parts) {
    return MilterFrames.frame(command, parts);
  }

  static byte[] int32(int v) {
    return MilterFrames.int32(v);
  }

  static byte[] int16(int v) {
    return MilterFrames.int16(v);
  }

  static String hex(byte[] b) {
    return MilterFrames.hex(b);
  }

  /** The hex of a reply frame, for expectations. */
  static String reply(char code, Object... parts) {
    return hex(frame(code, parts));
  }
}
