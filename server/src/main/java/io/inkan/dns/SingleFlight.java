package io.inkan.dns;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Concurrent misses for one name share one answer from the sources below it, so a thousand messages
 * from a new domain arriving together make one DNS query.
 */
final class SingleFlight implements AnswerSource {
  private final AnswerSource next;
  private final Clock clock;
  private final ConcurrentMap<String, CompletableFuture<Answer>> inFlight =
      new ConcurrentHashMap<>();

  SingleFlight(AnswerSource next, Clock clock) {
    this.next = next;
    this.clock = clock;
  }

  @Override
  public CompletableFuture<Answer> answer(String name) {
    CompletableFuture<Answer> mine = new CompletableFuture<>();
    while (true) {
      CompletableFuture<Answer> running = inFlight.putIfAbsent(name, mine);
      if (running == null) {
        break;
      }
      if (isLive(running)) {
        return running.copy();
      }
      // A flight that ended with an answer expired since (or with a failure): take its place.
      if (inFlight.replace(name, running, mine)) {
        break;
      }
    }
    next.answer(name)
        .whenComplete(
            (answer, failure) -> {
              // Completed before it leaves the map: the layers above store the answer while a
              // lookup that missed them meanwhile still joins this flight.
              if (failure == null) {
                mine.complete(answer);
              } else {
                mine.completeExceptionally(failure);
              }
              inFlight.remove(name, mine);
            });
    return mine.copy();
  }

  /** Whether a flight is still running or ended with an answer that has not expired. */
  private boolean isLive(CompletableFuture<Answer> flight) {
    if (!flight.isDone()) {
      return true;
    }
    if (flight.isCompletedExceptionally()) {
      return false;
    }
    Answer answer = flight.join();
    return answer != null && !answer.stored().isExpiredAt(clock.instant());
  }
}
