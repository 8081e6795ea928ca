package io.inkan.keys.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Waits until name servers answer a key record: the TXT record at its name whose strings, joined,
 * are the expected text (RFC 6376 §3.6.2.2). Each server is asked directly, without a cache, once a
 * second until all of them answer it or the time is up.
 */
public final class RecordVisibility {
  private static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(3);

  private final List<InetSocketAddress> servers;
  private final Duration wait;

  /**
   * @param servers the servers to ask (authoritative ones, or a resolver); empty for the system's
   *     resolver
   * @param wait how long to keep asking
   */
  public RecordVisibility(List<InetSocketAddress> servers, Duration wait) {
    this.servers = List.copyOf(servers);
    this.wait = wait;
  }

  /** The servers as {@code HOST:PORT}, or {@code the system resolver}. */
  public String describeServers() {
    if (servers.isEmpty()) {
      return "the system resolver";
    }
    List<String> names = new ArrayList<>();
    for (InetSocketAddress s : servers) {
      names.add(DnsUpdatePublisher.hostPort(s));
    }
    return String.join(", ", names);
  }

  /**
   * Returns once every server answers the record, saying so.
   *
   * @param owner absolute name, e.g. {@code s202601._domainkey.example.com.}
   * @throws KeyAdminException naming a server that did not answer it in time and what it said
   */
  public String await(String owner, String expectedText) throws KeyAdminException {
    Name name;
    try {
      name = Name.fromString(owner);
    } catch (TextParseException e) {
      throw new KeyAdminException("\"" + owner + "\" is not a DNS name");
    }
    long deadline = System.nanoTime() + wait.toNanos();
    List<SimpleResolver> pending = resolvers();
    String last = "";
    while (true) {
      List<SimpleResolver> still = new ArrayList<>();
      for (SimpleResolver r : pending) {
        String seen = ask(r, name, expectedText);
        if (seen != null) {
          still.add(r);
          last = DnsUpdatePublisher.hostPort(r.getAddress()) + " " + seen;
        }
      }
      pending = still;
      if (pending.isEmpty()) {
        return owner + " TXT is visible on " + describeServers();
      }
      if (System.nanoTime() + INTERVAL.toNanos() > deadline) {
        throw new KeyAdminException(
            owner + " TXT is not visible after " + wait.toSeconds() + " s: " + last);
      }
      sleep();
    }
  }

  private List<SimpleResolver> resolvers() throws KeyAdminException {
    List<SimpleResolver> list = new ArrayList<>();
    try {
      if (servers.isEmpty()) {
        list.add(configure(new SimpleResolver()));
      }
    } catch (IOException e) {
      throw new KeyAdminException("no system resolver: " + e.getMessage());
    }
    for (InetSocketAddress s : servers) {
      list.add(configure(new SimpleResolver(s)));
    }
    return list;
  }

  private static SimpleResolver configure(SimpleResolver r) {
    r.setTimeout(QUERY_TIMEOUT);
    return r;
  }

  /** Null when the server answers the record, else what it answered instead. */
  private static String ask(SimpleResolver resolver, Name name, String expected) {
    try {
      return answers(
          resolver.send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN))),
          name,
          expected);
    } catch (IOException e) {
      return "did not answer (" + DnsUpdatePublisher.describe(e) + ")";
    }
  }

  /** Null when the answer holds a TXT record at the name with the text, else what it holds. */
  static String answers(Message answer, Name name, String expected) {
    if (answer.getRcode() != Rcode.NOERROR) {
      return "answered " + Rcode.string(answer.getRcode());
    }
    int others = 0;
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r instanceof TXTRecord txt && r.getName().equals(name)) {
        StringBuilder text = new StringBuilder();
        for (Object s : txt.getStringsAsByteArrays()) { // dnsjava's List is raw: byte[] each
          text.append(new String((byte[]) s, StandardCharsets.ISO_8859_1));
        }
        if (text.toString().equals(expected)) {
          return null;
        }
        others++;
      }
    }
    return others == 0 ? "has no TXT record there" : "answered " + others + " other TXT record(s)";
  }

  private static void sleep() throws KeyAdminException {
    try {
      Thread.sleep(INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyAdminException("interrupted while waiting for the record");
    }
  }
}
