package io.inkan.keys;

import java.util.List;

/**
 * Signing keys per sender domain from a directory (Inkan's native LDAP mode): every active key of a
 * domain signs, so dual RSA + Ed25519 keys and a rotation's overlap need no table edits.
 * Implementations cache answers and may block on the network: callers run them off event loops.
 */
public interface DomainKeySource extends AutoCloseable {

  /**
   * The keys that sign mail from {@code domain} now (active, inside their validity window), in a
   * stable order; empty when the directory has none for it.
   *
   * @throws io.inkan.dataset.DataSetUnavailableException when the directory cannot answer and no
   *     cached answer is fresh enough (the caller applies On-InternalError)
   */
  List<DirectoryKey> keysFor(String domain);

  /** Forgets cached answers (reload, or a change pushed by the directory). */
  void dropCache();

  /**
   * Calls {@code listener} after each change the directory reports (so other nodes can drop what
   * they cached); sources that learn of no changes never call it.
   */
  default void onChange(Runnable listener) {}

  /** Stops background work (change notifications) and closes connections. */
  @Override
  void close();

  /**
   * One key entry with its per-key options; an empty option means the configuration's default.
   *
   * @param key the parsed key with {@code d=}, {@code s=} and algorithm
   * @param identity {@code i=} (DKIMIdentity), if any
   * @param options the entry's signing options
   * @param source where the entry lives (its DN), for logs
   */
  record DirectoryKey(
      ResolvedKey key, java.util.Optional<String> identity, KeyOptions options, String source) {}

  /**
   * Per-key signing options (Inkan's LDAP schema, {@code inkanDkimKeyOptions}).
   *
   * @param canonicalization e.g. {@code relaxed/simple}
   * @param signedHeaders header names to sign, lower case
   * @param oversignedHeaders header names to oversign, lower case
   * @param signatureTtlSeconds {@code x=} offset; 0 for none
   */
  record KeyOptions(
      java.util.Optional<String> canonicalization,
      java.util.Optional<List<String>> signedHeaders,
      java.util.Optional<List<String>> oversignedHeaders,
      java.util.OptionalLong signatureTtlSeconds) {
    public static final KeyOptions DEFAULTS =
        new KeyOptions(
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.OptionalLong.empty());
  }
}
