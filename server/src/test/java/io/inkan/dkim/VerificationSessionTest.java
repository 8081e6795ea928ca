package io.inkan.dkim;

import static io.inkan.dkim.SignatureCheckTest.b64;
import static io.inkan.dkim.SignatureCheckTest.txt;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.crypto.SigningKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** One message's verification: several signatures, one body pass, keys looked up once. */
class VerificationSessionTest {
  private static final SigningKey KEY = SignatureCheckTest.rsaKey(1024);
  private static final ExecutorService POOL = Executors.newFixedThreadPool(8);

  @AfterAll
  static void stopPool() {
    POOL.shutdownNow();
  }

  /**
   * Signatures with the same c=, hash and l= share one body hasher; their checks run on the crypto
   * executor in parallel, so the hash must be final before they start.
   */
  @Test
  void signaturesSharingABodyHasherVerifyInParallel() {
    String signedOnce = new String(SignatureCheckTest.sign(KEY), StandardCharsets.ISO_8859_1);
    String field = signedOnce.substring(0, signedOnce.indexOf("\r\nFrom:") + 2);
    byte[] message =
        (field.repeat(5) + SignatureCheckTest.MESSAGE).getBytes(StandardCharsets.ISO_8859_1);
    KeyRecordLookup dns =
        name -> CompletableFuture.supplyAsync(() -> txt("p=" + b64(KEY.publicKey())), POOL);
    for (int round = 0; round < 50; round++) {
      assertThat(verify(message, dns))
          .extracting(VerificationResult::result)
          .containsOnly(DkimResult.PASS)
          .hasSize(5);
    }
  }

  @Test
  void oneLookupPerKeyName() {
    String s = new String(SignatureCheckTest.sign(KEY), StandardCharsets.ISO_8859_1);
    String field = s.substring(0, s.indexOf("\r\nFrom:") + 2);
    byte[] message = (field + s).getBytes(StandardCharsets.ISO_8859_1);
    AtomicInteger lookups = new AtomicInteger();
    KeyRecordLookup dns =
        name -> {
          lookups.incrementAndGet();
          return CompletableFuture.completedFuture(txt("p=" + b64(KEY.publicKey())));
        };
    assertThat(verify(message, dns)).hasSize(2);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void lookupThatThrowsOrFailsIsATemperror() {
    byte[] message = SignatureCheckTest.sign(KEY);
    KeyRecordLookup throwing =
        name -> {
          throw new IllegalStateException("resolver gone");
        };
    KeyRecordLookup failing =
        name -> CompletableFuture.failedFuture(new IllegalStateException("timeout"));
    for (KeyRecordLookup dns : List.of(throwing, failing)) {
      List<VerificationResult> results = verify(message, dns);
      assertThat(results)
          .extracting(VerificationResult::result)
          .containsExactly(DkimResult.TEMPERROR);
      assertThat(results.get(0).reason()).startsWith("key query failed: key lookup failed");
    }
  }

  @Test
  void unsignedMessageHasNoResults() {
    byte[] message = SignatureCheckTest.MESSAGE.getBytes(StandardCharsets.ISO_8859_1);
    VerificationSession session =
        new DkimVerifier(
                SignatureCheckTest.settings(),
                name -> {
                  throw new AssertionError("no lookup expected");
                })
            .newSession();
    feed(message, session);
    assertThat(session.hasSignatures()).isFalse();
    assertThat(session.finish(Runnable::run).toCompletableFuture().join()).isEmpty();
  }

  @Test
  void signaturesPastTheLimitAreNeutral() {
    String s = new String(SignatureCheckTest.sign(KEY), StandardCharsets.ISO_8859_1);
    String field = s.substring(0, s.indexOf("\r\nFrom:") + 2);
    byte[] message = (field.repeat(2) + s).getBytes(StandardCharsets.ISO_8859_1);
    KeyRecordLookup dns =
        name -> CompletableFuture.completedFuture(txt("p=" + b64(KEY.publicKey())));
    VerificationSession session =
        new DkimVerifier(SignatureCheckTest.settings().withMaxSignatures(2), dns).newSession();
    feed(message, session);
    List<VerificationResult> results = session.finish(POOL).toCompletableFuture().join();
    assertThat(results)
        .extracting(VerificationResult::result)
        .containsExactly(DkimResult.PASS, DkimResult.PASS, DkimResult.NEUTRAL);
  }

  @Test
  void unparseableSignatureStillNamesWhatItClaims() {
    String field =
        "DKIM-Signature: v=1; a=rsa-sha256; c=foobar; d=example.com; s=sel;\r\n"
            + " i=jo=40e@example.com; h=from; bh=AAEC; b=abcdefghijkl\r\n";
    byte[] message = (field + SignatureCheckTest.MESSAGE).getBytes(StandardCharsets.ISO_8859_1);
    List<VerificationResult> results =
        verify(
            message,
            name -> {
              throw new AssertionError("no lookup expected");
            });
    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.result()).isEqualTo(DkimResult.PERMERROR);
              assertThat(r.reason()).isEqualTo("unsupported canonicalization c=foobar");
              assertThat(r.domain()).isEqualTo("example.com");
              assertThat(r.selector()).isEqualTo("sel");
              assertThat(r.algorithm()).isEqualTo("rsa-sha256");
              assertThat(r.identity()).isEqualTo("jo@e@example.com");
              assertThat(r.b()).isEqualTo("abcdefgh");
            });
  }

  private static List<VerificationResult> verify(byte[] message, KeyRecordLookup dns) {
    VerificationSession session = new DkimVerifier(SignatureCheckTest.settings(), dns).newSession();
    feed(message, session);
    return new ArrayList<>(session.finish(POOL).toCompletableFuture().join());
  }

  private static void feed(byte[] message, MessageSink sink) {
    MessageParser parser = new MessageParser(sink);
    parser.update(message, 0, message.length);
    parser.finish();
  }
}
