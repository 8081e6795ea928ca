package io.inkan.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.SignedValueCodec.Decoded;
import io.inkan.cache.SignedValueCodec.OtherVersion;
import io.inkan.cache.SignedValueCodec.Rejected;
import io.inkan.cache.SignedValueCodec.Valid;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The value format alone, without a server; the same cases against memcached are in its test. */
class SignedValueCodecTest {
  private final MutableClock clock = new MutableClock();
  private final SignedValueCodec codec =
      new SignedValueCodec(ClusterSecret.of("s".repeat(32).getBytes(StandardCharsets.US_ASCII)));
  private final CachedAnswer answer = Answers.txt("v=DKIM1; p=abc", Duration.ofMinutes(5), clock);

  @Test
  void roundTrips() {
    byte[] value = codec.encode("a.example", answer);
    assertThat(codec.decode("a.example", value)).isEqualTo(new Valid(answer));
    CachedAnswer nx =
        new CachedAnswer(AnswerType.NXDOMAIN, null, Instant.parse("2031-05-06T07:08:09.123Z"));
    assertThat(codec.decode("b", codec.encode("b", nx))).isEqualTo(new Valid(nx));
  }

  @Test
  void everyAlteredByteIsRejected() {
    byte[] value = codec.encode("a.example", answer);
    for (int i = 0; i < value.length; i++) {
      byte[] bad = value.clone();
      bad[i] ^= 0x01;
      Decoded d = codec.decode("a.example", bad);
      if (i == 2) {
        assertThat(d).as("version byte").isInstanceOf(OtherVersion.class);
      } else {
        assertThat(d).as("byte " + i).isInstanceOf(Rejected.class);
      }
    }
  }

  @Test
  void truncationsAndOtherNamesAreRejected() {
    byte[] value = codec.encode("a.example", answer);
    for (int n = 0; n < value.length; n++) {
      Decoded d = codec.decode("a.example", Arrays.copyOf(value, n));
      assertThat(d).as("first " + n + " bytes").isInstanceOf(Rejected.class);
    }
    assertThat(codec.decode("b.example", value)).isInstanceOf(Rejected.class);
  }

  @Test
  void aLaterVersionIsRecognisedNotRejected() {
    byte[] value = codec.encode("a.example", answer);
    value[2] = (byte) (SignedValueCodec.VERSION + 1);
    assertThat(codec.decode("a.example", value)).isEqualTo(new OtherVersion(2));
    assertThat(codec.decode("a.example", new byte[] {'I', 'K', 9})).isEqualTo(new OtherVersion(9));
  }
}
