package io.inkan.dns;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A resolver for one lookup that notes the lowest TTL of the CNAME and DNAME records in the answers
 * it passes on: a record reached through aliases may be kept only as long as every link of the
 * chain (RFC 2181 §5.2, RFC 1034 §3.6.2), while dnsjava's lookup result keeps only the last link.
 */
final class AliasTtlResolver implements Resolver {
  private final Resolver delegate;
  private final AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);

  AliasTtlResolver(Resolver delegate) {
    this.delegate = delegate;
  }

  /** The lowest alias TTL seen so far; empty when no answer had an alias. */
  OptionalLong lowest() {
    long l = lowest.get();
    return l == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(l);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return delegate.sendAsync(query).thenApply(this::note);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    return delegate.sendAsync(query, executor).thenApply(this::note);
  }

  private Message note(Message answer) {
    for (Record r : answer.getSection(Section.ANSWER)) {
      if (r.getType() == Type.CNAME || r.getType() == Type.DNAME) {
        lowest.accumulateAndGet(r.getTTL(), Math::min);
      }
    }
    return answer;
  }

  @Override
  public void setPort(int port) {
    delegate.setPort(port);
  }

  @Override
  public void setTCP(boolean flag) {
    delegate.setTCP(flag);
  }

  @Override
  public void setIgnoreTruncation(boolean flag) {
    delegate.setIgnoreTruncation(flag);
  }

  @Override
  public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    delegate.setEDNS(version, payloadSize, flags, options);
  }

  @Override
  public void setTSIGKey(TSIG key) {
    delegate.setTSIGKey(key);
  }

  @Override
  public void setTimeout(Duration timeout) {
    delegate.setTimeout(timeout);
  }

  @Override
  public Duration getTimeout() {
    return delegate.getTimeout();
  }
}
