package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.cache.AnswerType;
import io.inkan.cache.CachedAnswer;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyLookupResult.TxtRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class KeyLookupCodecTest {
  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final Instant LATER = NOW.plusSeconds(90);

  private static KeyLookupResult roundTrip(KeyLookupResult r) {
    return KeyLookupCodec.decode(KeyLookupCodec.encode(r, LATER), NOW).orElseThrow();
  }

  @Test
  void foundRecordsComeBackWithTheirTextsTtlsAndDnssecFlag() {
    KeyLookupResult found =
        new KeyLookupResult.Found(
            List.of(
                new TxtRecord("v=DKIM1; k=rsa; p=MIGfMA0", OptionalLong.of(120)),
                new TxtRecord("google-site-verification=x", OptionalLong.empty()),
                new TxtRecord("", OptionalLong.of(0)),
                // bytes above 127 (ISO 8859-1 from DNS) and beyond (a UTF-8 test-key file)
                new TxtRecord("n=caf\u00e9 \u2603", OptionalLong.of(Integer.MAX_VALUE))),
            true);
    assertThat(roundTrip(found)).isEqualTo(found);
    KeyLookupResult insecure = KeyLookupResult.Found.of("v=DKIM1; p=AB");
    assertThat(roundTrip(insecure)).isEqualTo(insecure);
  }

  @Test
  void theStoredFormIsCompact() {
    String record = "v=DKIM1; k=rsa; p=" + "A".repeat(400);
    CachedAnswer a =
        KeyLookupCodec.encode(
            new KeyLookupResult.Found(List.of(new TxtRecord(record, OptionalLong.of(300))), false),
            LATER);
    assertThat(a.type()).isEqualTo(AnswerType.ANSWER);
    assertThat(a.expires()).isEqualTo(LATER);
    assertThat(a.dataLength()).isEqualTo(record.length() + 6 + 8);
    assertThat(a.data()[0]).isEqualTo((byte) KeyLookupCodec.VERSION);
  }

  /** RFC 2308 §5: a cached negative answer's TTL counts down. */
  @Test
  void negativeAnswersComeBackWithTheTimeLeft() {
    CachedAnswer nx =
        KeyLookupCodec.encode(new KeyLookupResult.NxDomain(OptionalLong.of(90)), LATER);
    assertThat(nx.type()).isEqualTo(AnswerType.NXDOMAIN);
    assertThat(nx.dataLength()).isZero();
    assertThat(KeyLookupCodec.decode(nx, NOW.plusMillis(30_500)))
        .contains(new KeyLookupResult.NxDomain(OptionalLong.of(60)));
    CachedAnswer noData = KeyLookupCodec.encode(new KeyLookupResult.NoData(), LATER);
    assertThat(noData.type()).isEqualTo(AnswerType.NODATA);
    assertThat(KeyLookupCodec.decode(noData, NOW))
        .contains(new KeyLookupResult.NoData(OptionalLong.of(90)));
  }

  @Test
  void aTemporaryFailureKeepsItsReasonShortened() {
    assertThat(roundTrip(new KeyLookupResult.TempFail("x._domainkey.example.com/TXT: timeout")))
        .isEqualTo(new KeyLookupResult.TempFail("x._domainkey.example.com/TXT: timeout"));
    CachedAnswer long_ =
        KeyLookupCodec.encode(new KeyLookupResult.TempFail("e".repeat(5000)), LATER);
    assertThat(long_.type()).isEqualTo(AnswerType.SERVFAIL);
    assertThat(long_.dataLength()).isEqualTo(200);
  }

  @Test
  void malformedOrForeignPayloadsAreNoAnswer() {
    byte[] good =
        KeyLookupCodec.encode(KeyLookupResult.Found.of("v=DKIM1; p=AB", "other"), LATER).data();
    for (byte[] bad :
        List.of(
            new byte[0],
            Arrays.copyOf(good, 3),
            Arrays.copyOf(good, good.length - 1),
            Arrays.copyOf(good, good.length + 1),
            withVersion(good, KeyLookupCodec.VERSION + 1),
            withInt(good, 2, -1),
            withInt(good, 2, Integer.MAX_VALUE),
            withInt(good, 10, -5),
            withInt(good, 10, 1 << 20))) {
      assertThat(KeyLookupCodec.decode(new CachedAnswer(AnswerType.ANSWER, bad, LATER), NOW))
          .as("%s", Arrays.toString(bad))
          .isEmpty();
    }
  }

  private static byte[] withVersion(byte[] data, int version) {
    byte[] copy = data.clone();
    copy[0] = (byte) version;
    return copy;
  }

  private static byte[] withInt(byte[] data, int offset, int value) {
    byte[] copy = data.clone();
    ByteBuffer.wrap(copy).putInt(offset, value);
    return copy;
  }

  @Test
  void ttlsAreBoundedAsConfigured() {
    CacheTtls t =
        new CacheTtls(
            Duration.ofSeconds(30),
            Duration.ofSeconds(3600),
            Duration.ofSeconds(300),
            Duration.ofSeconds(5));
    assertThat(t.of(found(10))).isEqualTo(Duration.ofSeconds(30));
    assertThat(t.of(found(600))).isEqualTo(Duration.ofSeconds(600));
    assertThat(t.of(found(86400))).isEqualTo(Duration.ofSeconds(3600));
    assertThat(t.of(KeyLookupResult.Found.of("v=DKIM1; p=AB"))).isEqualTo(CacheTtls.UNKNOWN);
    // the lowest TTL of several records
    assertThat(
            t.of(
                new KeyLookupResult.Found(
                    List.of(
                        new TxtRecord("a", OptionalLong.of(900)),
                        new TxtRecord("b", OptionalLong.of(120))),
                    false)))
        .isEqualTo(Duration.ofSeconds(120));
    // RFC 2308 §5: the SOA's negative TTL, not raised to the minimum, lowered to the maximum
    assertThat(t.of(new KeyLookupResult.NxDomain(OptionalLong.of(2))))
        .isEqualTo(Duration.ofSeconds(2));
    assertThat(t.of(new KeyLookupResult.NoData(OptionalLong.of(86400))))
        .isEqualTo(Duration.ofSeconds(3600));
    assertThat(t.of(new KeyLookupResult.NxDomain())).isEqualTo(Duration.ofSeconds(300));
    assertThat(t.of(new KeyLookupResult.TempFail("x"))).isEqualTo(Duration.ofSeconds(5));
  }

  private static KeyLookupResult found(long ttl) {
    return new KeyLookupResult.Found(
        List.of(new TxtRecord("v=DKIM1; p=AB", OptionalLong.of(ttl))), false);
  }
}
