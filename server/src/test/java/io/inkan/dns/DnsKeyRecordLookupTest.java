package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.KeyLookupResult;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Lookup outcomes against an in-process UDP responder built from dnsjava's message classes. (The
 * proof against a real authoritative server comes with the DNS and query-cache work.)
 */
class DnsKeyRecordLookupTest {
  private DatagramSocket socket;
  private Thread server;

  @BeforeEach
  void start() throws Exception {
    socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    server = new Thread(this::serve, "fake-dns");
    server.setDaemon(true);
    server.start();
  }

  @AfterEach
  void stop() {
    socket.close();
  }

  private void serve() {
    byte[] buf = new byte[4096];
    while (!socket.isClosed()) {
      try {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        socket.receive(in);
        Message query = new Message(java.util.Arrays.copyOf(in.getData(), in.getLength()));
        Message reply = answer(query);
        if (reply != null) {
          byte[] out = reply.toWire();
          socket.send(new DatagramPacket(out, out.length, in.getSocketAddress()));
        }
      } catch (Exception e) {
        // socket closed or garbage: keep serving until closed
      }
    }
  }

  private static Message answer(Message query) throws Exception {
    Record q = query.getQuestion();
    String name = q.getName().toString();
    Message reply = new Message(query.getHeader().getID());
    reply.getHeader().setFlag(Flags.QR);
    reply.getHeader().setFlag(Flags.AA);
    reply.getHeader().setFlag(Flags.RA);
    reply.addRecord(q, Section.QUESTION);
    switch (name) {
      case "s1._domainkey.example.com." ->
          reply.addRecord(
              new TXTRecord(q.getName(), DClass.IN, 300, List.of("v=DKIM1; k=rsa; ", "p=ABCD")),
              Section.ANSWER);
      case "alias._domainkey.example.com." -> {
        Name target = Name.fromString("s1._domainkey.example.com.");
        reply.addRecord(new CNAMERecord(q.getName(), DClass.IN, 60, target), Section.ANSWER);
        reply.addRecord(new TXTRecord(target, DClass.IN, 300, "v=DKIM1; p=EF"), Section.ANSWER);
      }
      case "a-only._domainkey.example.com." -> {
        if (q.getType() == Type.A) {
          reply.addRecord(
              new ARecord(q.getName(), DClass.IN, 60, InetAddress.getByName("192.0.2.1")),
              Section.ANSWER);
        }
      }
      case "broken._domainkey.example.com." -> reply.getHeader().setRcode(Rcode.SERVFAIL);
      case "silent._domainkey.example.com." -> {
        return null;
      }
      default -> reply.getHeader().setRcode(Rcode.NXDOMAIN);
    }
    return reply;
  }

  private KeyLookupResult lookup(String name) {
    return lookup(name, DnsMetrics.NONE);
  }

  private KeyLookupResult lookup(String name, DnsMetrics metrics) {
    DnsKeyRecordLookup lookup =
        DnsKeyRecordLookup.servers(
                List.of(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort())),
                Duration.ofMillis(500))
            .withMetrics(metrics);
    return lookup.lookup(name).toCompletableFuture().join();
  }

  @Test
  void joinsTheStringsOfATxtRecordAndKeepsItsTtl() {
    KeyLookupResult r = lookup("s1._domainkey.example.com");
    assertThat(r).isInstanceOf(KeyLookupResult.Found.class);
    KeyLookupResult.TxtRecord txt = ((KeyLookupResult.Found) r).records().get(0);
    assertThat(txt.text()).isEqualTo("v=DKIM1; k=rsa; p=ABCD");
    assertThat(txt.ttl()).hasValue(300);
  }

  @Test
  void followsCnames() {
    KeyLookupResult r = lookup("alias._domainkey.example.com");
    assertThat(((KeyLookupResult.Found) r).records().get(0).text()).isEqualTo("v=DKIM1; p=EF");
  }

  @Test
  void tellsNxdomainNodataAndTemporaryFailuresApart() {
    assertThat(lookup("missing._domainkey.example.com"))
        .isInstanceOf(KeyLookupResult.NxDomain.class);
    assertThat(lookup("a-only._domainkey.example.com")).isInstanceOf(KeyLookupResult.NoData.class);
    assertThat(lookup("broken._domainkey.example.com"))
        .isInstanceOf(KeyLookupResult.TempFail.class);
    assertThat(lookup("silent._domainkey.example.com"))
        .isInstanceOf(KeyLookupResult.TempFail.class);
  }

  @Test
  void reportsEveryQueryWithItsOutcomeAndTime() {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger sent =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicLong slowest = new java.util.concurrent.atomic.AtomicLong();
    DnsMetrics metrics =
        new DnsMetrics() {
          @Override
          public void sent() {
            sent.incrementAndGet();
          }

          @Override
          public void answered(Outcome outcome, long nanos) {
            seen.add(outcome.tag());
            slowest.accumulateAndGet(nanos, Math::max);
          }
        };
    lookup("s1._domainkey.example.com", metrics);
    lookup("missing._domainkey.example.com", metrics);
    lookup("a-only._domainkey.example.com", metrics);
    lookup("broken._domainkey.example.com", metrics);
    lookup("silent._domainkey.example.com", metrics);
    assertThat(seen).containsExactly("found", "nxdomain", "nodata", "servfail", "timeout");
    assertThat(sent).hasValue(5);
    assertThat(slowest.get()).isGreaterThanOrEqualTo(Duration.ofMillis(400).toNanos());
  }
}
