package io.inkan.dns;

import io.inkan.cache.CachedAnswer;
import io.inkan.dkim.KeyLookupResult;
import java.util.concurrent.CompletableFuture;

/**
 * One step of a {@link CachingKeyRecordLookup}: a cache layer, the single-flight gate or DNS. Each
 * passes answers up both as stored (with an absolute expiry, so a layer above keeps exactly the
 * time left) and as the verifier sees them.
 */
interface AnswerSource {

  /** The answer for a normalised name; never completes exceptionally. */
  CompletableFuture<Answer> answer(String name);

  /** An answer as stored and as a result. */
  record Answer(CachedAnswer stored, KeyLookupResult result) {}
}
