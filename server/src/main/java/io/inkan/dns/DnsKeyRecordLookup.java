package io.inkan.dns;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;
import org.xbill.DNS.lookup.LookupResult;
import org.xbill.DNS.lookup.LookupSession;
import org.xbill.DNS.lookup.NoSuchDomainException;
import org.xbill.DNS.lookup.NoSuchRRSetException;
import org.xbill.DNS.lookup.ServerFailedException;

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
 *
 * <p>With {@link TrustAnchors} ({@code TrustAnchorFile}) every answer goes through dnsjava's
 * validating resolver, which asks the name servers for DNSKEY and DS records with the DO bit and
 * checks the chain from the anchors itself (RFC 4035 §5), so the name servers need not validate.
 * What it concludes is {@link DnssecStatus}: a secure key is {@code Found} with {@code
 * dnssecSecure}; an insecure one is used all the same; a bogus one is treated as absent, as
 * OpenDKIM's Unbound builds do ({@code opendkim-dns.c}: "If bogus, treat as if no key exists"): a
 * {@code NoData} kept for {@value #BOGUS_TTL} s (Unbound's {@code val-bogus-ttl}), logged with the
 * validator's reason.
 */
public final class DnsKeyRecordLookup implements KeyRecordLookup {
  /** Tries per name server: the first query and one retry. */
  static final int TRIES_PER_SERVER = 2;

  /** What a timeout of zero ("wait forever" in OpenDKIM) becomes: still bounded. */
  static final Duration LONGEST = Duration.ofSeconds(60);

  /** Seconds a bogus answer is kept as {@code NoData}: Unbound's {@code val-bogus-ttl} default. */
  static final long BOGUS_TTL = 60;

  private static final Logger LOG = LoggerFactory.getLogger(DnsKeyRecordLookup.class);

  private final Resolver resolver;
  private final Optional<ValidatingResolver> validator;
  private final Duration budget;
  private final DnsMetrics metrics;

  private DnsKeyRecordLookup(
      Resolver resolver,
      Optional<ValidatingResolver> validator,
      Duration budget,
      DnsMetrics metrics) {
    this.resolver = resolver;
    this.validator = validator;
    this.budget = budget;
    this.metrics = metrics;
  }

  /** The same lookup, reporting every query's outcome and time to {@code metrics}. */
  public DnsKeyRecordLookup withMetrics(DnsMetrics metrics) {
    return new DnsKeyRecordLookup(
        resolver, validator, budget, java.util.Objects.requireNonNull(metrics, "metrics"));
  }

  /**
   * A key-record lookup and what DNSSEC validation made of it.
   *
   * @param result what {@link #lookup} returns
   * @param dnssec {@link DnssecStatus#UNVALIDATED} without trust anchors
   * @param bogusReason the validator's reason when {@code dnssec} is {@link DnssecStatus#BOGUS}
   */
  public record Checked(
      KeyLookupResult result, DnssecStatus dnssec, Optional<String> bogusReason) {}

  /** Uses the system's resolvers (resolv.conf), or 127.0.0.1:53 when it names none. */
  public static DnsKeyRecordLookup system(Duration timeout) {
    return system(timeout, Optional.empty());
  }

  /** The same, validating against {@code anchors} when given. */
  public static DnsKeyRecordLookup system(Duration timeout, Optional<TrustAnchors> anchors) {
    List<InetSocketAddress> servers = ResolverConfig.getCurrentConfig().servers();
    if (servers.isEmpty()) {
      servers = List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 53));
    }
    return servers(servers, timeout, anchors);
  }

  /**
   * Uses the given name servers: dnsjava tries them in random order, those that failed lately last.
   *
   * @param timeout the budget of one lookup, retries and CNAME hops included; zero or less: {@link
   *     #LONGEST}
   */
  public static DnsKeyRecordLookup servers(List<InetSocketAddress> servers, Duration timeout) {
    return servers(servers, timeout, Optional.empty());
  }

  /**
   * The same, validating against {@code anchors} when given: the name servers must answer queries
   * with the DO bit with RRSIGs (any authoritative server of a signed zone or recursive resolver
   * does).
   */
  public static DnsKeyRecordLookup servers(
      List<InetSocketAddress> servers, Duration timeout, Optional<TrustAnchors> anchors) {
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
    return over(r, timeout, anchors);
  }

  /**
   * A lookup through {@code head} as it is (tests put a tampering resolver there). The validator's
   * own DNSKEY and DS queries go to the same servers, within the same budget.
   */
  static DnsKeyRecordLookup over(Resolver head, Duration timeout, Optional<TrustAnchors> anchors) {
    return new DnsKeyRecordLookup(
        head, anchors.map(a -> a.validating(head)), timeout, DnsMetrics.NONE);
  }

  /** Whether answers are DNSSEC-validated (a {@code TrustAnchorFile} was given). */
  public boolean validates() {
    return validator.isPresent();
  }

  @Override
  public CompletionStage<KeyLookupResult> lookup(String name) {
    return lookupChecked(name).thenApply(Checked::result);
  }

  /** The lookup with its DNSSEC status, for {@code inkan testkey}. */
  public CompletionStage<Checked> lookupChecked(String name) {
    Name query;
    try {
      query = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return CompletableFuture.completedFuture(
          new Checked(new KeyLookupResult.NxDomain(), DnssecStatus.UNVALIDATED, Optional.empty()));
    }
    String what = query.toString(true) + "/TXT";
    // A session per lookup (a cheap object) to see this lookup's aliases, SOA and DNSSEC status.
    Optional<DnssecNotingResolver> dnssec = validator.map(DnssecNotingResolver::new);
    TtlNotingResolver ttls = new TtlNotingResolver(dnssec.<Resolver>map(d -> d).orElse(resolver));
    LookupSession session = LookupSession.builder().resolver(ttls).clearCaches().build();
    metrics.sent();
    long started = System.nanoTime();
    AtomicReference<DnsMetrics.Outcome> failed = new AtomicReference<>();
    return session
        .lookupAsync(query, Type.TXT)
        .thenApply(r -> found(r, ttls, secure(dnssec)))
        .exceptionally(
            t -> {
              failed.set(outcome(t));
              return failure(what, t, ttls.negativeTtl());
            })
        .thenApply(r -> checked(what, r, dnssec))
        .toCompletableFuture()
        .completeOnTimeout(
            new Checked(
                new KeyLookupResult.TempFail(
                    what + ": no answer within " + budget.toMillis() + " ms"),
                dnssec.isPresent() ? DnssecStatus.INSECURE : DnssecStatus.UNVALIDATED,
                Optional.empty()),
            budget.toMillis(),
            TimeUnit.MILLISECONDS)
        .whenComplete((c, t) -> count(c, failed.get(), started));
  }

  /** Reports one lookup; a TempFail without a failure noted is the budget running out. */
  private void count(Checked c, DnsMetrics.Outcome failedAs, long started) {
    if (c == null) {
      return;
    }
    KeyLookupResult r = c.result();
    DnsMetrics.Outcome outcome;
    if (r instanceof KeyLookupResult.Found) {
      outcome = DnsMetrics.Outcome.FOUND;
    } else if (r instanceof KeyLookupResult.NxDomain) {
      outcome = DnsMetrics.Outcome.NXDOMAIN;
    } else if (r instanceof KeyLookupResult.NoData) {
      outcome = DnsMetrics.Outcome.NODATA;
    } else {
      outcome = failedAs == null ? DnsMetrics.Outcome.TIMEOUT : failedAs;
    }
    metrics.answered(outcome, System.nanoTime() - started);
  }

  /** What a failed lookup's exception (or one of its causes) says went wrong. */
  private static DnsMetrics.Outcome outcome(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof NoSuchDomainException) {
        return DnsMetrics.Outcome.NXDOMAIN;
      }
      if (c instanceof NoSuchRRSetException) {
        return DnsMetrics.Outcome.NODATA;
      }
      if (c instanceof ServerFailedException) {
        return DnsMetrics.Outcome.SERVFAIL;
      }
      // dnsjava: a try's SocketTimeoutException; ExtendedResolver's "Timed out while trying to
      // resolve" IOException once its own time is up
      if (c instanceof java.util.concurrent.TimeoutException
          || c instanceof java.net.SocketTimeoutException
          || (c instanceof java.io.IOException
              && c.getMessage() != null
              && c.getMessage().startsWith("Timed out"))) {
        return DnsMetrics.Outcome.TIMEOUT;
      }
    }
    return DnsMetrics.Outcome.ERROR;
  }

  private static boolean secure(Optional<DnssecNotingResolver> dnssec) {
    return dnssec.map(d -> d.status() == DnssecStatus.SECURE).orElse(false);
  }

  /** The result with its status; a bogus one made a short-lived NoData, as if no key existed. */
  private static Checked checked(
      String what, KeyLookupResult result, Optional<DnssecNotingResolver> dnssec) {
    if (dnssec.isEmpty()) {
      return new Checked(result, DnssecStatus.UNVALIDATED, Optional.empty());
    }
    DnssecStatus status = dnssec.get().status();
    if (status != DnssecStatus.BOGUS) {
      return new Checked(result, status, Optional.empty());
    }
    Optional<String> reason = dnssec.get().bogusReason();
    LOG.warn(
        "{}: DNSSEC validation failed (bogus), key treated as absent: {}",
        what,
        reason.orElse("?"));
    return new Checked(new KeyLookupResult.NoData(OptionalLong.of(BOGUS_TTL)), status, reason);
  }

  /** The TXT records, each TTL capped by the aliases that led to it. */
  private static KeyLookupResult found(
      LookupResult result, TtlNotingResolver ttls, boolean secure) {
    OptionalLong aliasTtl = ttls.lowestAlias();
    List<KeyLookupResult.TxtRecord> txt =
        result.getRecords().stream()
            .filter(TXTRecord.class::isInstance)
            .map(r -> txt((TXTRecord) r, aliasTtl))
            .toList();
    return txt.isEmpty()
        ? new KeyLookupResult.NoData(ttls.negativeTtl())
        : new KeyLookupResult.Found(txt, secure);
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
