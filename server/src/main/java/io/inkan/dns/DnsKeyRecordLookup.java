package io.inkan.dns;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;

/**
 * Key records from DNS through dnsjava's asynchronous {@link LookupSession}: CNAME chains are
 * followed, truncated UDP answers retried over TCP, the strings of each TXT record joined (RFC 6376
 * §3.6.2.2), every TXT record at the name returned (the verifier picks the key record, §6.1.2), and
 * NXDOMAIN and NODATA told apart from temporary failures. A record reached through CNAMEs keeps the
 * lowest TTL of the chain; NXDOMAIN and NODATA carry the negative TTL of the SOA that came with
 * them (RFC 2308 §5).
 *
 * <p>{@code DNSTimeout} is the budget of a whole lookup, CNAME hops and retries included: each name
 * server is asked {@value #TRIES_PER_SERVER} times, every try getting an equal share of the budget,
 * and whatever is still unanswered when the budget is spent becomes a {@link
 * KeyLookupResult.TempFail}. (dnsjava 3.6's {@code ExtendedResolver.setTimeout} bounds only when it
 * stops retrying; each {@code SimpleResolver} would wait its own 10 s default per try.)
 */
public final class DnsKeyRecordLookup implements KeyRecordLookup {
  /** Tries per name server: the first query and one retry. */
  static final int TRIES_PER_SERVER = 2;

  /** What a timeout of zero ("wait forever" in OpenDKIM) becomes: still bounded. */
  static final Duration LONGEST = Duration.ofSeconds(60);

  private final Resolver resolver;
  private final Duration budget;

  private DnsKeyRecordLookup(Resolver resolver, Duration budget) {
    this.resolver = resolver;
    this.budget = budget;
  }

  /** Uses the system's resolvers (resolv.conf), or 127.0.0.1:53 when it names none. */
  public static DnsKeyRecordLookup system(Duration timeout) {
    List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
    if (servers.isEmpty()) {
      servers = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
    }
    return servers(servers, timeout);
  }

  /**
   * Uses the given name servers: dnsjava tries them in random order, those that failed lately last.
   *
   * @param timeout the budget of one lookup, retries and CNAME hops included; zero or less: {@link
   *     #LONGEST}
   */
  public static DnsKeyRecordLookup servers(List<InetSocketAddress> servers, Duration timeout) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no name servers");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      timeout = LONGEST;
    }
    ExtendedResolver r =
        new ExtendedResolver(servers.stream().map(SimpleResolver::new).toArray(Resolver[]::new));
    r.setRetries(TRIES_PER_SERVER);
    r.setLoadBalance(false);
    r.setTimeout(timeout);
    // After the ExtendedResolver's own setTimeout: newer dnsjava versions pass that on to each
    // resolver, and each try must get only its share.
    Duration perTry = timeout.dividedBy((long) servers.size() * TRIES_PER_SERVER);
    for (Resolver each : r.getResolvers()) {
      each.setTimeout(perTry);
    }
    return new DnsKeyRecordLookup(r, timeout);
  }

  @Override
  public CompletionStage<KeyLookupResult> lookup(String name) {
    Name query;
    try {
      query = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return CompletableFuture.completedFuture(new KeyLookupResult.NxDomain());
    }
    String what = query.toString(true) + "/TXT";
    // A session per lookup (a cheap object) to see this lookup's aliases and SOA.
    TtlNotingResolver ttls = new TtlNotingResolver(resolver);
    LookupSession session = LookupSession.builder().resolver(ttls).clearCaches().build();
    return session
        .lookupAsync(query, Type.TXT)
        .thenApply(r -> found(r, ttls))
        .exceptionally(t -> failure(what, t, ttls.negativeTtl()))
        .toCompletableFuture()
        .completeOnTimeout(
            new KeyLookupResult.TempFail(what + ": no answer within " + budget.toMillis() + " ms"),
            budget.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** The TXT records, each TTL capped by the aliases that led to it. */
  private static KeyLookupResult found(LookupResult result, TtlNotingResolver ttls) {
    OptionalLong aliasTtl = ttls.lowestAlias();
    List<KeyLookupResult.TxtRecord> txt =
        result.getRecords().stream()
            .filter(TXTRecord.class::isInstance)
            .map(r -> txt((TXTRecord) r, aliasTtl))
            .toList();
    return txt.isEmpty()
        ? new KeyLookupResult.NoData(ttls.negativeTtl())
        : new KeyLookupResult.Found(txt, false);
  }

  private static KeyLookupResult.TxtRecord txt(TXTRecord r, OptionalLong aliasTtl) {
    StringBuilder sb = new StringBuilder();
    for (byte[] s : r.getStringsAsByteArrays()) {
      sb.append(new String(s, StandardCharsets.ISO_8859_1));
    }
    long ttl = Math.min(r.getTTL(), aliasTtl.orElse(Long.MAX_VALUE));
    return new KeyLookupResult.TxtRecord(sb.toString(), OptionalLong.of(ttl));
  }

  /** NXDOMAIN and NODATA with their negative TTL (RFC 2308 §5), anything else a TempFail. */
  private static KeyLookupResult failure(String what, Throwable t, OptionalLong negativeTtl) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof NoSuchDomainException) {
      return new KeyLookupResult.NxDomain(negativeTtl);
    }
    if (cause instanceof NoSuchRRSetException) {
      return new KeyLookupResult.NoData(negativeTtl);
    }
    return new KeyLookupResult.TempFail(
        what
            + ": "
            + cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
  }
}
