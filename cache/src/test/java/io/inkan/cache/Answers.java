package io.inkan.cache;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/** Test answers. */
final class Answers {
  private Answers() {}

  static CachedAnswer txt(String text, Duration ttl, Clock clock) {
    return CachedAnswer.expiringIn(
        AnswerType.ANSWER, text.getBytes(StandardCharsets.UTF_8), ttl, clock);
  }

  static String text(CachedAnswer answer) {
    return new String(answer.data(), StandardCharsets.UTF_8);
  }
}
