package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.bench.BenchMessage;
import io.inkan.bench.MilterLoadClient;
import io.inkan.bench.Verdict;
import io.inkan.config.SocketSpec;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.testing.MtaSimulator;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;

/**
 * The effect of the keys that need the running daemon rather than a policy: {@code PidFile} (a real
 * {@code inkan serve} process), {@code Umask} and every {@code Socket} form (a server started from
 * the file, reached by an MTA-side client), and the key-record sources {@code TestDNSData}, {@code
 * Nameservers} and {@code DNSTimeout} (an in-process UDP name server built from dnsjava's message
 * classes).
 */
@Timeout(120)
class ServeKeyEffectsTest {
  private static final String MESSAGE =
      "From: Joe <joe@example.com>\r\nTo: ann@example.net\r\nSubject: keys\r\n"
          + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <keys@example.com>\r\n\r\n"
          + "Hello through the milter.\r\n";
  private static final String RECORD_NAME = "sel._domainkey.example.com";

  @TempDir Path dir;
  private Path key;
  private String record;

  @BeforeEach
  void key() throws Exception {
    key = dir.resolve("sel.private");
    try (InputStream in = getClass().getResourceAsStream("/keys/rsa2048.private")) {
      Files.write(key, in.readAllBytes());
    }
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    record = "v=DKIM1; k=rsa; p=" + PrivateKeyReader.read(Files.readString(key)).publicKeyBase64();
  }

  /** A signing and verifying configuration on {@code socket}, plus {@code extra} lines. */
  private Path conf(String socket, String extra) throws IOException {
    return Files.writeString(
        dir.resolve("inkan.conf"),
        "Mode sv\nSocket "
            + socket
            + "\nDomain example.com\nSelector sel\nKeyFile "
            + key
            + "\nAuthservID mx.example.net\n"
            + extra);
  }

  @Test
  void pidFileHoldsTheDaemonsPidAndIsRemovedAtStop() throws Exception {
    Path pidFile = dir.resolve("run/inkan.pid");
    Files.createDirectories(pidFile.getParent());
    Path socket = dir.resolve("inkan.sock");
    Path conf = conf("local:" + socket, "PidFile " + pidFile + "\n");
    Path log = dir.resolve("serve.log");
    Process serve = ServeProcess.start(conf, log);
    try {
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!(Files.exists(pidFile) && MtaSimulator.accepts(socket)) && serve.isAlive()) {
        assertThat(System.nanoTime()).as("started; %s", read(log)).isLessThan(end);
        Thread.sleep(50);
      }
      assertThat(Files.readString(pidFile)).as(read(log)).isEqualTo(serve.pid() + "\n");
      try (MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        assertThat(mta.message(MESSAGE).get(0).insertedHeader()[0]).isEqualTo("DKIM-Signature");
      }
    } finally {
      serve.destroy(); // SIGTERM: a graceful stop
      assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(serve.exitValue()).as(read(log)).isZero();
    assertThat(pidFile).doesNotExist();
  }

  @Test
  void umaskSetsTheUnixSocketMode() throws Exception {
    String[][] cases = {
      {"Umask 000", "rwxrwxrwx"}, {"Umask 007", "rwxrwx---"},
      {"UMask 077", "rwx------"}, {"Umask 2", "rwxrwxr-x"},
    };
    for (String[] c : cases) {
      Path socket = dir.resolve("umask.sock");
      try (InkanTestServer ignored = InkanTestServer.start(conf("local:" + socket, c[0] + "\n"))) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
            .as(c[0])
            .isEqualTo(c[1]);
        assertThat(signs(new SocketSpec.Local(socket))).as(c[0]).isTrue();
      }
    }
  }

  @Test
  void unixAndLocalAndBarePathSocketsServeMilterSessions() throws Exception {
    for (String form : new String[] {"unix:", "local:", ""}) {
      Path socket = dir.resolve("form" + form.length() + ".sock");
      try (InkanTestServer ignored = InkanTestServer.start(conf(form + socket, ""))) {
        assertThat(signs(new SocketSpec.Local(socket))).as(form + socket).isTrue();
      }
    }
  }

  @Test
  void inetSocketServesOverIpv4() throws Exception {
    int port = freePort(InetAddress.getByName("127.0.0.1"));
    try (InkanTestServer ignored = InkanTestServer.start(conf("inet:" + port + "@127.0.0.1", ""))) {
      assertThat(signs(new SocketSpec.Inet(false, Optional.of("127.0.0.1"), port))).isTrue();
    }
  }

  @Test
  void inet6SocketServesOverIpv6Only() throws Exception {
    InetAddress v6 = InetAddress.getByName("::1");
    int port = freePort(v6);
    try (InkanTestServer ignored = InkanTestServer.start(conf("inet6:" + port + "@[::1]", ""))) {
      assertThat(signs(new SocketSpec.Inet(true, Optional.of("::1"), port))).isTrue();
      assertThatThrownBy(
              () -> new Socket(InetAddress.getByName("127.0.0.1"), port).close(),
              "bound to [::1] only, not 127.0.0.1")
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void testDnsDataSuppliesTheKeyRecords() throws Exception {
    Path socket = dir.resolve("inkan.sock");
    Path dns = Files.writeString(dir.resolve("dns.txt"), RECORD_NAME + " " + record + "\n");
    try (InkanTestServer ignored =
        InkanTestServer.start(conf("local:" + socket, "TestDNSData file:" + dns + "\n"))) {
      assertThat(verify(socket, signed(socket))).contains("dkim=pass header.d=example.com");
    }
    Files.writeString(dns, RECORD_NAME + " NXDOMAIN\n");
    try (InkanTestServer ignored =
        InkanTestServer.start(conf("local:" + socket, "TestDNSData file:" + dns + "\n"))) {
      assertThat(verify(socket, signed(socket))).contains("dkim=permerror");
    }
  }

  @Test
  void nameserversIpv4WithPortAreAsked() throws Exception {
    try (FakeNameServer ns = FakeNameServer.answering(InetAddress.getByName("127.0.0.1"), record)) {
      assertThat(verifyWith("Nameservers 127.0.0.1:" + ns.port() + "\n"))
          .contains("dkim=pass header.d=example.com");
      assertThat(ns.queries()).isPositive();
    }
  }

  @Test
  void nameserversIpv6InBracketsWithPortAreAsked() throws Exception {
    try (FakeNameServer ns = FakeNameServer.answering(InetAddress.getByName("::1"), record)) {
      assertThat(verifyWith("Nameservers [::1]:" + ns.port() + "\n"))
          .contains("dkim=pass header.d=example.com");
      assertThat(ns.queries()).isPositive();
    }
  }

  @Test
  void dnsTimeoutBoundsASilentNameserver() throws Exception {
    try (FakeNameServer ns = FakeNameServer.silent(InetAddress.getByName("127.0.0.1"))) {
      Path socket = dir.resolve("inkan.sock");
      String extra = "Nameservers 127.0.0.1:" + ns.port() + "\nDNSTimeout 1\nOn-DNSError accept\n";
      try (InkanTestServer ignored = InkanTestServer.start(conf("local:" + socket, extra))) {
        String signed = signed(socket);
        long start = System.nanoTime();
        String ar = verify(socket, signed);
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(ar).contains("dkim=temperror");
        // The default (5 s) would not answer this early.
        assertThat(millis).as("answered after %d ms", millis).isLessThan(4000);
        assertThat(ns.queries()).isPositive();
      }
    }
  }

  /** Signs MESSAGE through the server on {@code socket} and verifies it there with {@code dns}. */
  private String verifyWith(String dns) throws Exception {
    Path socket = dir.resolve("inkan.sock");
    try (InkanTestServer ignored = InkanTestServer.start(conf("local:" + socket, dns))) {
      return verify(socket, signed(socket));
    }
  }

  /** MESSAGE as an internal client's mail leaves the server: with its DKIM-Signature on top. */
  private static String signed(Path socket) throws IOException {
    try (MtaSimulator mta = new MtaSimulator(socket)) {
      mta.open("127.0.0.1");
      String[] h = mta.message(MESSAGE).get(0).insertedHeader();
      assertThat(h[0]).isEqualTo("DKIM-Signature");
      return h[0] + ":" + h[1] + "\r\n" + MESSAGE;
    }
  }

  /** The Authentication-Results value the server adds to an external client's {@code message}. */
  private static String verify(Path socket, String message) throws IOException {
    try (MtaSimulator mta = new MtaSimulator(socket)) {
      mta.open("198.51.100.7");
      List<MtaSimulator.Reply> replies = mta.message(message);
      assertThat(replies.get(0).command())
          .as("an inserted header first, not the verdict %s", replies.get(0).command())
          .isEqualTo('i');
      String[] h = replies.get(0).insertedHeader();
      assertThat(h[0]).isEqualTo("Authentication-Results");
      return h[1];
    }
  }

  /** One message from 127.0.0.1 through {@code spec}: whether it came back signed. */
  private static boolean signs(SocketSpec spec) throws IOException {
    BenchMessage message = BenchMessage.parse(MESSAGE.getBytes(StandardCharsets.ISO_8859_1));
    try (MilterLoadClient client = MilterLoadClient.open(spec)) {
      assertThat(client.start("127.0.0.1")).isEmpty();
      MilterLoadClient.Result r = client.message(message.headers(), message, List.of());
      assertThat(r.verdict()).isIn(Verdict.CONTINUE, Verdict.ACCEPT);
      return r.addedHeaders().contains("DKIM-Signature");
    }
  }

  private static int freePort(InetAddress address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, address)) {
      return s.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.toString();
    }
  }

  /**
   * A UDP name server on a loopback address: answers TXT queries for {@value #RECORD_NAME} with a
   * record (split in 255-byte strings, RFC 6376 §3.6.2.2), NXDOMAIN for other names; or, when
   * silent, reads queries and never answers.
   */
  private static final class FakeNameServer implements AutoCloseable {
    private final DatagramSocket socket;
    private final String record;
    private volatile int queries;

    private FakeNameServer(InetAddress address, String record) throws IOException {
      this.socket = new DatagramSocket(new InetSocketAddress(address, 0));
      this.record = record;
      Thread t = new Thread(this::serve, "fake-dns");
      t.setDaemon(true);
      t.start();
    }

    static FakeNameServer answering(InetAddress address, String record) throws IOException {
      return new FakeNameServer(address, record);
    }

    static FakeNameServer silent(InetAddress address) throws IOException {
      return new FakeNameServer(address, null);
    }

    int port() {
      return socket.getLocalPort();
    }

    int queries() {
      return queries;
    }

    private void serve() {
      byte[] buf = new byte[4096];
      while (!socket.isClosed()) {
        try {
          DatagramPacket in = new DatagramPacket(buf, buf.length);
          socket.receive(in);
          queries++;
          if (record == null) {
            continue;
          }
          Message query = new Message(Arrays.copyOf(in.getData(), in.getLength()));
          byte[] out = answer(query).toWire();
          socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
        } catch (IOException e) {
          // closed, or a datagram that is no DNS message: keep serving until closed
        }
      }
    }

    private Message answer(Message query) throws IOException {
      Record q = query.getQuestion();
      Message reply = new Message(query.getHeader().getID());
      reply.getHeader().setFlag(Flags.QR);
      reply.getHeader().setFlag(Flags.AA);
      reply.getHeader().setFlag(Flags.RA);
      reply.addRecord(q, Section.QUESTION);
      if (q.getName().toString().equalsIgnoreCase(RECORD_NAME + ".")) {
        List<String> strings = new ArrayList<>();
        for (int i = 0; i < record.length(); i += 255) {
          strings.add(record.substring(i, Math.min(record.length(), i + 255)));
        }
        reply.addRecord(new TXTRecord(q.getName(), DClass.IN, 300, strings), Section.ANSWER);
      } else {
        reply.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      return reply;
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
