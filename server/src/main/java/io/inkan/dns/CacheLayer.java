package io.inkan.dns;

import io.inkan.cache.AnswerType;
import io.inkan.cache.CachedAnswer;
import io.inkan.cache.QueryCache;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One cache in front of the rest of a {@link CachingKeyRecordLookup}, as a decorator: a hit is
 * served as stored; on a miss the next source answers and its answer is stored here with the expiry
 * it has, so a hit in a lower layer is copied up with only the time it has left (RFC 2308 §5). A
 * cache that blocks (JE, memcached) is asked on an executor, never on the caller's thread (which
 * may be an event loop). An entry whose payload this version cannot read is a miss, and is then
 * overwritten.
 */
final class CacheLayer implements AnswerSource {
  private final QueryCache cache;
  private final AnswerSource next;
  private final Executor executor;
  private final Clock clock;
  private final boolean keepsTempFails;

  /**
   * @param executor where the cache is asked; null to ask it on the caller's thread (in-process)
   * @param keepsTempFails whether temporary failures are stored here (the in-process layer only:
   *     one node's failing resolver must not fail the farm's lookups)
   */
  CacheLayer(
      QueryCache cache, AnswerSource next, Executor executor, Clock clock, boolean keepsTempFails) {
    this.cache = cache;
    this.next = next;
    this.executor = executor;
    this.clock = clock;
    this.keepsTempFails = keepsTempFails;
  }

  @Override
  public CompletableFuture<Answer> answer(String name) {
    if (executor == null) {
      Answer hit = hit(name);
      return hit != null
          ? CompletableFuture.completedFuture(hit)
          : next.answer(name).thenApply(a -> store(name, a));
    }
    return cache
        .getAsync(name, executor)
        .thenApply(this::decodeHit)
        .toCompletableFuture()
        .thenCompose(
            hit ->
                hit != null
                    ? CompletableFuture.completedFuture(hit)
                    : next.answer(name).thenApplyAsync(a -> store(name, a), executor));
  }

  private Answer hit(String name) {
    return decodeHit(cache.get(name));
  }

  private Answer decodeHit(Optional<CachedAnswer> stored) {
    if (stored.isEmpty()) {
      return null;
    }
    return KeyLookupCodec.decode(stored.get(), clock.instant())
        .map(r -> new Answer(stored.get(), r))
        .orElse(null);
  }

  private Answer store(String name, Answer answer) {
    if (keepsTempFails || answer.stored().type() != AnswerType.SERVFAIL) {
      cache.put(name, answer.stored());
    }
    return answer;
  }
}
