package io.inkan.dkim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One message being verified: every DKIM-Signature is parsed when the headers end, the body streams
 * once through one hasher per distinct (canonicalization, hash, {@code l=}), and at the end each
 * signature's key is looked up and checked before its body hash and signature are (RFC 6376 §6.1.2,
 * then §6.1.3).
 */
public final class VerificationSession implements MessageSink {
  private final VerifierSettings settings;
  private final KeyRecordLookup lookup;
  private final List<HeaderField> headers = new ArrayList<>();
  private final List<Check> checks = new ArrayList<>();
  private final Map<HasherKey, Hashing> hashers = new HashMap<>();
  private String malformed;

  VerificationSession(VerifierSettings settings, KeyRecordLookup lookup) {
    this.settings = settings;
    this.lookup = lookup;
  }

  @Override
  public void header(HeaderField field) {
    headers.add(field);
  }

  @Override
  public void malformed(String reason) {
    malformed = reason;
  }

  @Override
  public void endOfHeaders() {
    int seen = 0;
    for (HeaderField field : headers) {
      if (!field.is(DkimSignature.FIELD_NAME)) {
        continue;
      }
      if (++seen > settings.maxSignatures()) {
        checks.add(
            Check.done(Lenient.result(field, DkimResult.NEUTRAL, "not verified: limit reached")));
        continue;
      }
      try {
        DkimSignature sig = DkimSignature.parse(field);
        HasherKey key =
            new HasherKey(
                sig.canonicalization().body(),
                sig.algorithm().digestAlgorithm(),
                sig.bodyLength().orElse(Long.MAX_VALUE));
        Hashing h = hashers.computeIfAbsent(key, Hashing::new);
        checks.add(new Check(sig, h, null));
      } catch (DkimException e) {
        checks.add(Check.done(Lenient.result(field, e.result(), e.getMessage())));
      }
    }
  }

  @Override
  public void body(byte[] b, int off, int len) {
    for (Hashing h : hashers.values()) {
      h.canonicalizer.update(b, off, len);
    }
  }

  /** Whether the message carries any DKIM-Signature field. */
  public boolean hasSignatures() {
    return !checks.isEmpty();
  }

  /**
   * Ends the body and verifies every signature.
   *
   * @param crypto where key checks and signature verification run once the keys arrive
   * @return one result per DKIM-Signature, in header order; empty when there are none
   */
  public CompletionStage<List<VerificationResult>> finish(Executor crypto) {
    for (Hashing h : hashers.values()) {
      h.canonicalizer.finish();
    }
    long now = settings.clock().getAsLong();
    Map<String, CompletableFuture<KeyLookupResult>> lookups = new HashMap<>();
    List<CompletableFuture<VerificationResult>> results = new ArrayList<>();
    for (Check c : checks) {
      if (c.result != null) {
        results.add(CompletableFuture.completedFuture(c.result));
        continue;
      }
      VerificationResult early =
          malformed != null
              ? SignatureCheck.result(
                  c.sig, DkimResult.PERMERROR, "malformed message: " + malformed)
              : SignatureCheck.beforeLookup(c.sig, settings, now);
      if (early != null) {
        results.add(CompletableFuture.completedFuture(early));
        continue;
      }
      // Taken here, on one thread: signatures sharing a hasher run on the crypto executor.
      byte[] bodyHash = c.hashing.hasher.hash();
      long bodyLength = c.hashing.hasher.canonicalLength();
      String name = KeyRecordLookup.recordName(c.sig.selector(), c.sig.domain());
      CompletableFuture<KeyLookupResult> found = lookups.computeIfAbsent(name, this::lookupSafely);
      results.add(
          found.thenApplyAsync(
              r -> SignatureCheck.withKey(c.sig, r, settings, headers, bodyHash, bodyLength),
              crypto));
    }
    return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
        .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<KeyLookupResult> lookupSafely(String name) {
    try {
      return lookup
          .lookup(name)
          .toCompletableFuture()
          .exceptionally(t -> new KeyLookupResult.TempFail("key lookup failed: " + t));
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(
          new KeyLookupResult.TempFail("key lookup failed: " + e));
    }
  }

  private record HasherKey(Canonicalization body, String digest, long limit) {}

  private static final class Hashing {
    final BodyHasher hasher;
    final BodyCanonicalizer canonicalizer;

    Hashing(HasherKey key) {
      hasher = new BodyHasher(key.digest(), key.limit());
      canonicalizer = BodyCanonicalizer.of(key.body(), hasher);
    }
  }

  private record Check(DkimSignature sig, Hashing hashing, VerificationResult result) {
    static Check done(VerificationResult r) {
      return new Check(null, null, r);
    }
  }
}
