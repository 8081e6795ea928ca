package io.inkan.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyLookupResult.TxtRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachingKeyRecordLookupTest {
  private final AtomicLong nanos = new AtomicLong();
  private final List<String> asked = new ArrayList<>();
  private final List<CompletableFuture<KeyLookupResult>> pending = new ArrayList<>();

  private CachingKeyRecordLookup cache() {
    return new CachingKeyRecordLookup(
        name -> {
          asked.add(name);
          CompletableFuture<KeyLookupResult> f = new CompletableFuture<>();
          pending.add(f);
          return f;
        },
        new CachingKeyRecordLookup.Limits(30, 3600, 300, 60, 100),
        nanos::get);
  }

  private static KeyLookupResult found(long ttl) {
    return new KeyLookupResult.Found(
        List.of(new TxtRecord("v=DKIM1; p=AB", OptionalLong.of(ttl))), false);
  }

  private void advanceSeconds(long s) {
    nanos.addAndGet(s * 1_000_000_000L);
  }

  @Test
  void answersLiveForTheirTtlWithinBounds() {
    CachingKeyRecordLookup c = cache();
    c.lookup("s._domainkey.example.com");
    pending.get(0).complete(found(120));
    assertThat(c.lookup("S._domainkey.EXAMPLE.com").toCompletableFuture().join())
        .isEqualTo(found(120));
    advanceSeconds(119);
    c.lookup("s._domainkey.example.com");
    assertThat(asked).hasSize(1);
    advanceSeconds(2);
    c.lookup("s._domainkey.example.com");
    assertThat(asked).hasSize(2);
  }

  @Test
  void tinyTtlsAreRaisedToTheMinimum() {
    CachingKeyRecordLookup c = cache();
    c.lookup("a");
    pending.get(0).complete(found(1));
    advanceSeconds(29);
    c.lookup("a");
    assertThat(asked).hasSize(1);
  }

  @Test
  void negativeAnswersAreCachedAndTemporaryFailuresAreNot() {
    CachingKeyRecordLookup c = cache();
    c.lookup("gone");
    pending.get(0).complete(new KeyLookupResult.NxDomain());
    c.lookup("gone");
    assertThat(asked).hasSize(1);
    advanceSeconds(61);
    c.lookup("gone");
    assertThat(asked).hasSize(2);

    c.lookup("flaky");
    pending.get(2).complete(new KeyLookupResult.TempFail("timeout"));
    c.lookup("flaky");
    assertThat(asked).containsExactly("gone", "gone", "flaky", "flaky");
  }

  @Test
  void concurrentMissesShareOneQuery() {
    CachingKeyRecordLookup c = cache();
    CompletableFuture<KeyLookupResult> a = c.lookup("x").toCompletableFuture();
    CompletableFuture<KeyLookupResult> b = c.lookup("x").toCompletableFuture();
    assertThat(asked).hasSize(1);
    pending.get(0).complete(found(300));
    assertThat(a.join()).isEqualTo(b.join()).isEqualTo(found(300));
  }

  @Test
  void aFailingLookupBecomesATemporaryFailure() {
    CachingKeyRecordLookup c = cache();
    CompletableFuture<KeyLookupResult> r = c.lookup("boom").toCompletableFuture();
    pending.get(0).completeExceptionally(new IllegalStateException("resolver broke"));
    assertThat(r.join()).isInstanceOf(KeyLookupResult.TempFail.class);
    assertThat(c.size()).isZero();
  }
}
