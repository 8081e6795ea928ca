package io.inkan.keys.admin;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * Adds a key record to its zone on the primary server by a dynamic update (RFC 2136) signed with
 * TSIG (RFC 8945), over TCP. The zone is the one whose SOA the primary returns for the record's
 * name (RFC 2136 §4.1), unless given. The update requires that the name has no TXT record yet (RFC
 * 2136 §2.4.3), so an existing record is never replaced.
 */
public final class DnsUpdatePublisher {
  private final InetSocketAddress primary;
  private final TsigKey key;
  private final Duration timeout;
  private final Optional<String> zone;

  /**
   * @param primary the primary (master) server of the zone
   * @param key the key the server's update policy allows
   * @param timeout per exchange
   * @param zone the zone to update, e.g. {@code example.com}; empty to ask the primary
   */
  public DnsUpdatePublisher(
      InetSocketAddress primary, TsigKey key, Duration timeout, Optional<String> zone) {
    this.primary = primary;
    this.key = key;
    this.timeout = timeout;
    this.zone = zone;
  }

  /** {@code HOST:PORT} of the primary, for messages. */
  public String server() {
    return hostPort(primary);
  }

  /** {@code IP:PORT} ({@code [IPv6]:PORT}) of a server. */
  static String hostPort(InetSocketAddress server) {
    String host =
        server.getAddress() != null ? server.getAddress().getHostAddress() : server.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + server.getPort();
  }

  /**
   * Sends the update and checks the signed answer.
   *
   * @param owner the record's absolute name, e.g. {@code s202601._domainkey.example.com.}
   * @param strings the TXT record's character-strings
   * @param ttl the record's TTL in seconds
   * @return the zone updated, and whether the primary held this very record already (a resumed
   *     rotation), in which case nothing was changed
   * @throws KeyAdminException with the server's answer (rcode, TSIG error) when it is not NOERROR
   */
  public Outcome publish(String owner, List<String> strings, long ttl) throws KeyAdminException {
    Name name = name(owner);
    Name zoneName = zone.isPresent() ? name(absolute(zone.get())) : findZone(name);
    TSIG tsig;
    try {
      tsig = key.tsig();
    } catch (TextParseException e) {
      throw new KeyAdminException("TSIG key name " + key.name() + " is no DNS name");
    }
    Update update = new Update(zoneName);
    update.absent(name, Type.TXT);
    update.add(new TXTRecord(name, DClass.IN, ttl, strings));
    SimpleResolver resolver = resolver();
    resolver.setTSIGKey(tsig);
    Message answer;
    try {
      answer = resolver.send(update);
    } catch (IOException e) {
      throw new KeyAdminException(
          "UPDATE of " + zoneName + " to " + server() + " failed: " + describe(e), e);
    }
    int rcode = answer.getRcode();
    TSIGRecord signature = answer.getTSIG();
    if (rcode == Rcode.YXRRSET && holds(name, String.join("", strings))) {
      return new Outcome(zoneName.toString(), true);
    }
    if (rcode != Rcode.NOERROR) {
      String tsigError =
          signature != null && signature.getError() != Rcode.NOERROR
              ? " (TSIG " + Rcode.TSIGstring(signature.getError()) + ")"
              : "";
      throw new KeyAdminException(
          server()
              + " refused the UPDATE of "
              + zoneName
              + ": "
              + Rcode.string(rcode)
              + tsigError
              + hint(rcode));
    }
    if (!answer.isVerified()) {
      throw new KeyAdminException(
          server() + " answered the UPDATE of " + zoneName + " without a valid TSIG signature");
    }
    return new Outcome(zoneName.toString(), false);
  }

  /**
   * What an update did.
   *
   * @param zone the zone's name, absolute
   * @param existed whether the record was there already, so the update changed nothing
   */
  public record Outcome(String zone, boolean existed) {}

  /** Whether the primary serves exactly this TXT record at the name. */
  private boolean holds(Name name, String text) {
    try {
      Message answer =
          resolver().send(Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN)));
      return RecordVisibility.answers(answer, name, text) == null;
    } catch (IOException e) {
      return false;
    }
  }

  private static String hint(int rcode) {
    return switch (rcode) {
      case Rcode.NOTAUTH -> ": the server does not accept this TSIG key for the zone";
      case Rcode.REFUSED -> ": the server's policy forbids this update";
      case Rcode.YXRRSET -> ": a TXT record exists at that name already";
      default -> "";
    };
  }

  /** The zone the primary holds the name in: the owner of the SOA in its answer. */
  private Name findZone(Name name) throws KeyAdminException {
    Message answer;
    try {
      Message query = Message.newQuery(Record.newRecord(name, Type.SOA, DClass.IN));
      answer = resolver().send(query);
    } catch (IOException e) {
      throw new KeyAdminException(
          "cannot ask " + server() + " for the zone of " + name + ": " + describe(e), e);
    }
    for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
      for (Record r : answer.getSection(section)) {
        if (r instanceof SOARecord && name.subdomain(r.getName())) {
          return r.getName();
        }
      }
    }
    throw new KeyAdminException(
        server()
            + " is not authoritative for "
            + name
            + " ("
            + Rcode.string(answer.getRcode())
            + ", no SOA); name the zone with --zone or publish to its primary");
  }

  private SimpleResolver resolver() {
    SimpleResolver r = new SimpleResolver(primary);
    r.setTCP(true);
    r.setTimeout(timeout);
    return r;
  }

  private static Name name(String text) throws KeyAdminException {
    try {
      return Name.fromString(absolute(text));
    } catch (TextParseException e) {
      throw new KeyAdminException("\"" + text + "\" is not a DNS name");
    }
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  static String describe(IOException e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }
}
