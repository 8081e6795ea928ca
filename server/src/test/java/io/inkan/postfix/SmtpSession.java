package io.inkan.postfix;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal SMTP client (RFC 5321 §4.1, §4.5.2 dot-stuffing) for submitting test mail to Postfix
 * from a chosen loopback source address, one command at a time.
 */
final class SmtpSession implements AutoCloseable {
  /** One reply: the command it answers, its code and its text (lines joined with LF). */
  record Reply(String command, int code, String text) {
    private static final Pattern QUEUED = Pattern.compile("queued as ([0-9A-Za-z]+)");

    boolean positive() {
      return code >= 200 && code < 400;
    }

    /** The Postfix queue id from a {@code 250 ... queued as ID} reply. */
    String queueId() {
      Matcher m = QUEUED.matcher(text);
      if (code != 250 || !m.find()) {
        throw new IllegalStateException("not a queued reply: " + this);
      }
      return m.group(1);
    }
  }

  private final Socket socket;
  private final BufferedReader in;
  private final OutputStream out;

  /**
   * Connects from {@code source} to Postfix at 127.0.0.1:{@code port}, reads the greeting, EHLO.
   */
  SmtpSession(InetAddress source, int port) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(source, 0));
    socket.setSoTimeout(90_000);
    socket.connect(
        new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 10_000);
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), ISO_8859_1));
    out = socket.getOutputStream();
    Reply greeting = read("(greeting)");
    if (greeting.code() != 220) {
      throw new IOException("unexpected greeting " + greeting);
    }
    Reply ehlo = command("EHLO client.inkan.test");
    if (ehlo.code() != 250) {
      throw new IOException("EHLO refused: " + ehlo);
    }
  }

  /** Sends one command line and reads its reply. */
  Reply command(String line) throws IOException {
    out.write((line + "\r\n").getBytes(ISO_8859_1));
    out.flush();
    return read(line);
  }

  /**
   * Sends {@code message} (any line ends) dot-stuffed, then the final dot; the end-of-data reply.
   */
  Reply content(String message) throws IOException {
    StringBuilder b = new StringBuilder();
    for (String line : message.split("\r?\n", -1)) {
      b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
    }
    if (message.endsWith("\n")) {
      b.setLength(b.length() - 2); // the split's empty last piece is not a line
    }
    b.append(".\r\n");
    out.write(b.toString().getBytes(ISO_8859_1));
    out.flush();
    return read("(end of data)");
  }

  /** MAIL, RCPT, DATA and the content; the first reply that is not positive, or the last one. */
  Reply send(String from, String to, String message) throws IOException {
    for (String line : new String[] {"MAIL FROM:<" + from + ">", "RCPT TO:<" + to + ">", "DATA"}) {
      Reply r = command(line);
      if (!r.positive()) {
        return r;
      }
    }
    return content(message);
  }

  private Reply read(String command) throws IOException {
    StringBuilder text = new StringBuilder();
    while (true) {
      String line = in.readLine();
      if (line == null || line.length() < 4) {
        throw new IOException("connection ended or bad reply after " + command + ": " + line);
      }
      text.append(text.length() > 0 ? "\n" : "").append(line.substring(4));
      if (line.charAt(3) == ' ') {
        return new Reply(command, Integer.parseInt(line.substring(0, 3)), text.toString());
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (!socket.isClosed()) {
        command("QUIT");
      }
    } catch (IOException e) {
      // the server may already have hung up
    } finally {
      socket.close();
    }
  }
}
