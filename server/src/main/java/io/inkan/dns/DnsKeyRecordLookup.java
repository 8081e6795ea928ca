package io.inkan.dns;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Name;
import org.xbill.DNS.Resolver;
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
 * §3.6.2.2), NXDOMAIN and NODATA told apart from temporary failures.
 */
public final class DnsKeyRecordLookup implements KeyRecordLookup {
  private final LookupSession session;

  private DnsKeyRecordLookup(Resolver resolver) {
    this.session = LookupSession.builder().resolver(resolver).clearCaches().build();
  }

  /** Uses the system's resolvers (resolv.conf). */
  public static DnsKeyRecordLookup system(Duration timeout) {
    ExtendedResolver r = new ExtendedResolver();
    r.setTimeout(timeout);
    return new DnsKeyRecordLookup(r);
  }

  /** Uses the given name servers, tried in turn. */
  public static DnsKeyRecordLookup servers(List<InetSocketAddress> servers, Duration timeout) {
    ExtendedResolver r =
        new ExtendedResolver(servers.stream().map(SimpleResolver::new).toArray(Resolver[]::new));
    r.setTimeout(timeout);
    r.setRetries(2);
    return new DnsKeyRecordLookup(r);
  }

  @Override
  public CompletionStage<KeyLookupResult> lookup(String name) {
    Name query;
    try {
      query = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      return CompletableFuture.completedFuture(new KeyLookupResult.NxDomain());
    }
    return session
        .lookupAsync(query, Type.TXT)
        .thenApply(DnsKeyRecordLookup::found)
        .exceptionally(DnsKeyRecordLookup::failure);
  }

  private static KeyLookupResult found(LookupResult result) {
    List<KeyLookupResult.TxtRecord> txt =
        result.getRecords().stream()
            .filter(TXTRecord.class::isInstance)
            .map(r -> txt((TXTRecord) r))
            .toList();
    return txt.isEmpty() ? new KeyLookupResult.NoData() : new KeyLookupResult.Found(txt, false);
  }

  private static KeyLookupResult.TxtRecord txt(TXTRecord r) {
    StringBuilder sb = new StringBuilder();
    for (byte[] s : r.getStringsAsByteArrays()) {
      sb.append(new String(s, java.nio.charset.StandardCharsets.ISO_8859_1));
    }
    return new KeyLookupResult.TxtRecord(sb.toString(), OptionalLong.of(r.getTTL()));
  }

  private static KeyLookupResult failure(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof NoSuchDomainException) {
      return new KeyLookupResult.NxDomain();
    }
    if (cause instanceof NoSuchRRSetException) {
      return new KeyLookupResult.NoData();
    }
    return new KeyLookupResult.TempFail(
        cause.getClass().getSimpleName()
            + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
  }
}
