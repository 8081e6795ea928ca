package io.inkan.dns;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * A resolver for one lookup that notes two TTLs of the answers it passes on, which dnsjava's lookup
 * result does not keep: the lowest TTL of the CNAME and DNAME records, since a record reached
 * through aliases may be kept only as long as every link of the chain (RFC 2181 §5.2, RFC 1034
 * §3.6.2); and the negative-caching TTL of an SOA in the authority section, the lower of the SOA
 * record's TTL and its MINIMUM field (RFC 2308 §5).
 */
final class TtlNotingResolver extends NotingResolver {
  private final AtomicLong lowestAlias = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong lowestNegative = new AtomicLong(Long.MAX_VALUE);

  TtlNotingResolver(Resolver delegate) {
    super(delegate);
  }

  /** The lowest alias TTL seen so far; empty when no answer had an alias. */
  OptionalLong lowestAlias() {
    return optional(lowestAlias.get());
  }

  /**
   * The negative-caching TTL of a negative answer (RFC 2308 §5), capped by the aliases that led to
   * it; empty when no answer carried an SOA in its authority section.
   */
  OptionalLong negativeTtl() {
    long soa = lowestNegative.get();
    return soa == Long.MAX_VALUE
        ? OptionalLong.empty()
        : OptionalLong.of(Math.min(soa, lowestAlias.get()));
  }

  private static OptionalLong optional(long l) {
    return l == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(l);
  }

  @Override
  Message note(Message answer) {
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r.getType() == Type.CNAME || r.getType() == Type.DNAME) {
        lowestAlias.accumulateAndGet(r.getTTL(), Math::min);
      }
    }
    for (Record r : answer.getSection(Section.AUTHORITY)) {
      if (r instanceof SOARecord soa) {
        lowestNegative.accumulateAndGet(Math.min(soa.getTTL(), soa.getMinimum()), Math::min);
      }
    }
    return answer;
  }
}
