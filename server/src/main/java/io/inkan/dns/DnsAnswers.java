package io.inkan.dns;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The bottom of a {@link CachingKeyRecordLookup}: DNS (or a test-key file), each answer given its
 * expiry by the {@link CacheTtls}.
 */
final class DnsAnswers implements AnswerSource {
  private final KeyRecordLookup lookup;
  private final CacheTtls ttls;
  private final Clock clock;

  DnsAnswers(KeyRecordLookup lookup, CacheTtls ttls, Clock clock) {
    this.lookup = lookup;
    this.ttls = ttls;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Answer> answer(String name) {
    CompletableFuture<KeyLookupResult> pending;
    try {
      pending = lookup.lookup(name).toCompletableFuture();
    } catch (RuntimeException e) {
      pending = CompletableFuture.failedFuture(e);
    }
    return pending.handle(
        (r, t) ->
            answer(r != null ? r : new KeyLookupResult.TempFail(name + ": lookup failed: " + t)));
  }

  private Answer answer(KeyLookupResult result) {
    return new Answer(KeyLookupCodec.encode(result, clock.instant().plus(ttls.of(result))), result);
  }
}
