package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CachedAnswerTest {
  @Test
  void copiesItsBytesAndComparesByValue() {
    byte[] data = {1, 2, 3};
    CachedAnswer a =
        new CachedAnswer(AnswerType.ANSWER, data, Instant.ofEpochSecond(10, 1_234_567));
    data[0] = 9;
    assertThat(a.data()).containsExactly(1, 2, 3);
    a.data()[1] = 9;
    assertThat(a.data()).containsExactly(1, 2, 3);
    assertThat(a)
        .isEqualTo(
            new CachedAnswer(
                AnswerType.ANSWER, new byte[] {1, 2, 3}, Instant.ofEpochMilli(10_001)));
    assertThat(a.expires()).isEqualTo(Instant.ofEpochMilli(10_001));
  }

  @Test
  void expiryAndRemainingTtl() {
    CachedAnswer a = new CachedAnswer(AnswerType.NODATA, null, Instant.ofEpochSecond(100));
    assertThat(a.dataLength()).isZero();
    assertThat(a.isExpiredAt(Instant.ofEpochSecond(99))).isFalse();
    assertThat(a.isExpiredAt(Instant.ofEpochSecond(100))).isTrue();
    assertThat(a.remainingTtl(Instant.ofEpochSecond(70))).isEqualTo(Duration.ofSeconds(30));
    assertThat(a.remainingTtl(Instant.ofEpochSecond(170))).isEqualTo(Duration.ZERO);
    assertThat(new CachedAnswer(AnswerType.ANSWER, null, Instant.MAX).expires().toEpochMilli())
        .isPositive();
  }

  @Test
  void typeCodesAreStable() {
    for (AnswerType t : AnswerType.values()) {
      assertThat(AnswerType.fromCode(t.code())).isSameAs(t);
    }
    assertThat(AnswerType.fromCode(0)).isNull();
    assertThat(AnswerType.fromCode(99)).isNull();
  }
}
