package io.inkan.dkim;

import io.inkan.dkim.crypto.KeyHandle;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one signature looks like (RFC 6376 §3.5). Immutable; build with {@link #of} and the {@code
 * with*} methods.
 *
 * @param domain {@code d=}
 * @param selector {@code s=}
 * @param key the private key, or a handle to one on a signer node
 * @param algorithm {@code a=}; never rsa-sha1
 * @param canonicalization {@code c=}
 * @param signedHeaders names to sign, each present instance once, in this order
 * @param oversignedHeaders names listed once more than present, appended after the rest
 * @param identity {@code i=} when wanted
 * @param copyHeaders whether to add {@code z=} with copies of the signed fields
 * @param bodyLengthTag whether to add {@code l=} with the body length
 * @param ttlSeconds when present, {@code x=} is {@code t=} plus this
 */
public record SignerSettings(
    String domain,
    String selector,
    KeyHandle key,
    DkimAlgorithm algorithm,
    Canonicalization.Pair canonicalization,
    List<String> signedHeaders,
    List<String> oversignedHeaders,
    Optional<String> identity,
    boolean copyHeaders,
    boolean bodyLengthTag,
    OptionalLong ttlSeconds) {

  /** RFC 6376 §5.4.1's recommended fields plus the MIME and identification ones. */
  public static final List<String> DEFAULT_SIGNED_HEADERS =
      List.of(
          "from",
          "reply-to",
          "subject",
          "date",
          "to",
          "cc",
          "resent-date",
          "resent-from",
          "resent-sender",
          "resent-to",
          "resent-cc",
          "in-reply-to",
          "references",
          "list-id",
          "list-help",
          "list-unsubscribe",
          "list-unsubscribe-post",
          "list-subscribe",
          "list-post",
          "list-owner",
          "list-archive",
          "message-id",
          "sender",
          "mime-version",
          "content-type",
          "content-transfer-encoding",
          "content-id",
          "content-description");

  /**
   * Listed once more than present by default, so a second From added after signing breaks the
   * signature (RFC 6376 §8.15).
   */
  public static final List<String> DEFAULT_OVERSIGNED_HEADERS = List.of("from");

  public SignerSettings {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(key, "key");
    if (domain.isBlank() || selector.isBlank()) {
      throw new IllegalArgumentException("domain and selector must not be empty");
    }
    if (algorithm == DkimAlgorithm.RSA_SHA1) {
      throw new IllegalArgumentException("rsa-sha1 must not be used for signing (RFC 8301)");
    }
    if (algorithm.keyType() != key.type()) {
      throw new IllegalArgumentException(
          "algorithm " + algorithm.tagValue() + " does not match a " + key.type() + " key");
    }
    signedHeaders = lower(signedHeaders);
    oversignedHeaders = lower(oversignedHeaders);
    if (!signedHeaders.contains("from") && !oversignedHeaders.contains("from")) {
      throw new IllegalArgumentException("the signed header list must include From");
    }
    identity.ifPresent(i -> checkIdentity(i, domain));
  }

  /**
   * Defaults: the key's own algorithm, relaxed/relaxed, the default header list, From oversigned.
   */
  public static SignerSettings of(String domain, String selector, KeyHandle key) {
    return new SignerSettings(
        domain,
        selector,
        key,
        key.defaultAlgorithm(),
        Canonicalization.Pair.RELAXED_RELAXED,
        DEFAULT_SIGNED_HEADERS,
        DEFAULT_OVERSIGNED_HEADERS,
        Optional.empty(),
        false,
        false,
        OptionalLong.empty());
  }

  public SignerSettings withAlgorithm(DkimAlgorithm a) {
    return new SignerSettings(
        domain,
        selector,
        key,
        a,
        canonicalization,
        signedHeaders,
        oversignedHeaders,
        identity,
        copyHeaders,
        bodyLengthTag,
        ttlSeconds);
  }

  public SignerSettings withCanonicalization(Canonicalization.Pair c) {
    return new SignerSettings(
        domain,
        selector,
        key,
        algorithm,
        c,
        signedHeaders,
        oversignedHeaders,
        identity,
        copyHeaders,
        bodyLengthTag,
        ttlSeconds);
  }

  public SignerSettings withHeaders(List<String> signed, List<String> oversigned) {
    return new SignerSettings(
        domain,
        selector,
        key,
        algorithm,
        canonicalization,
        signed,
        oversigned,
        identity,
        copyHeaders,
        bodyLengthTag,
        ttlSeconds);
  }

  public SignerSettings withIdentity(Optional<String> i) {
    return new SignerSettings(
        domain,
        selector,
        key,
        algorithm,
        canonicalization,
        signedHeaders,
        oversignedHeaders,
        i,
        copyHeaders,
        bodyLengthTag,
        ttlSeconds);
  }

  public SignerSettings withOptions(boolean z, boolean l, OptionalLong ttl) {
    return new SignerSettings(
        domain,
        selector,
        key,
        algorithm,
        canonicalization,
        signedHeaders,
        oversignedHeaders,
        identity,
        z,
        l,
        ttl);
  }

  private static List<String> lower(List<String> names) {
    return names.stream()
        .map(n -> n.trim().toLowerCase(Locale.ROOT))
        .filter(n -> !n.isEmpty())
        .distinct()
        .toList();
  }

  private static void checkIdentity(String identity, String domain) {
    int at = identity.lastIndexOf('@');
    String d = domain.toLowerCase(Locale.ROOT);
    String id = at < 0 ? "" : identity.substring(at + 1).toLowerCase(Locale.ROOT);
    if (at < 0 || !(id.equals(d) || id.endsWith("." + d))) {
      throw new IllegalArgumentException("identity " + identity + " is not within " + domain);
    }
  }
}
