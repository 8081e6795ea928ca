package io.inkan.dns;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;

/**
 * A resolver that passes every query to another and lets a subclass look at (or change) each answer
 * on its way back: what dnsjava's lookup results do not keep (TTLs of aliases, DNSSEC state) is
 * noted this way.
 */
abstract class NotingResolver implements Resolver {
  private final Resolver delegate;

  NotingResolver(Resolver delegate) {
    this.delegate = delegate;
  }

  /** Called with each answer before it is passed on; returns the answer to pass on. */
  abstract Message note(Message answer);

  @Override
  public CompletionStage<Message> sendAsync(Message query) {
    return delegate.sendAsync(query).thenApply(this::note);
  }

  @Override
  public CompletionStage<Message> sendAsync(Message query, Executor executor) {
    return delegate.sendAsync(query, executor).thenApply(this::note);
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
