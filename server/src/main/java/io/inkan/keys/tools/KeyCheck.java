package io.inkan.keys.tools;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.DkimException;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecord;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.crypto.PublicKeys;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.tools.KeyCheckResult.Outcome;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a published key record against a private key, as {@code opendkim-testkey} does: the record
 * exists, parses as a DKIM key record (RFC 6376 §3.6.1, RFC 8463 §4), is not revoked, has the key's
 * type, publishes the private key's public half, and lets verifiers accept the key's signatures
 * ({@code h=}, {@code s=}, RSA size per RFC 8301 §3.2). Pure: the DNS answer comes in as a value.
 *
 * @param domain the signing domain
 * @param selector the selector
 * @param key the private key; empty to check only that the record parses
 * @param algorithm the algorithm the key signs with; empty for the key's default
 */
public record KeyCheck(
    String domain, String selector, Optional<SigningKey> key, Optional<DkimAlgorithm> algorithm) {

  /** The shortest RSA key verifiers accept (RFC 8301 §3.2). */
  static final int MIN_RSA_BITS = 1024;

  /** {@code SELECTOR._domainkey.DOMAIN}, the name to look up (RFC 6376 §3.6.2.1). */
  public String recordName() {
    return KeyRecordLookup.recordName(selector, domain);
  }

  /** The verdict for what the lookup of {@link #recordName()} returned. */
  public KeyCheckResult check(KeyLookupResult found) {
    List<String> details = new ArrayList<>();
    details.add("name: " + recordName());
    if (found instanceof KeyLookupResult.Found f) {
      return records(f, details);
    }
    if (found instanceof KeyLookupResult.NxDomain) {
      return result(Outcome.NOT_FOUND, "record not found (NXDOMAIN)", details);
    }
    if (found instanceof KeyLookupResult.NoData) {
      return result(Outcome.NOT_FOUND, "record not found (the name has no TXT record)", details);
    }
    return result(
        Outcome.DNS_ERROR,
        "DNS lookup failed: " + ((KeyLookupResult.TempFail) found).reason(),
        details);
  }

  private KeyCheckResult records(KeyLookupResult.Found found, List<String> details) {
    List<KeyRecord> parsed = new ArrayList<>();
    String firstError = null;
    for (KeyLookupResult.TxtRecord txt : found.records()) {
      details.add("record: " + txt.text());
      txt.ttl().ifPresent(ttl -> details.add("TTL: " + ttl + " s"));
      try {
        parsed.add(KeyRecord.parse(txt.text()));
      } catch (DkimException e) {
        firstError = firstError == null ? e.getMessage() : firstError;
      }
    }
    details.add(found.dnssecSecure() ? "DNSSEC: secure" : "DNSSEC: not validated (key not secure)");
    if (parsed.isEmpty()) {
      return result(Outcome.NOT_A_KEY_RECORD, "not a DKIM key record: " + firstError, details);
    }
    if (parsed.size() > 1) {
      details.add(parsed.size() + " key records at the name; verifiers may use any of them");
    }
    KeyCheckResult worst = null;
    for (KeyRecord r : parsed) {
      KeyCheckResult one = record(r, details);
      if (worst == null || one.outcome().compareTo(worst.outcome()) > 0) {
        worst = one;
      }
    }
    return worst;
  }

  private KeyCheckResult record(KeyRecord r, List<String> details) {
    if (r.keyType().isEmpty()) {
      return result(
          Outcome.WRONG_KEY_TYPE, "record has unknown key type k=" + r.unknownKeyType(), details);
    }
    KeyType type = r.keyType().get();
    if (r.revoked()) {
      return result(Outcome.REVOKED, "record is revoked (empty p=)", details);
    }
    if (key.isPresent() && key.get().type() != type) {
      return result(
          Outcome.WRONG_KEY_TYPE,
          "record has k="
              + type.tagValue()
              + " but the private key is "
              + key.get().type().tagValue(),
          details);
    }
    PublicKey published;
    try {
      published = PublicKeys.decode(type, r.publicKey());
    } catch (GeneralSecurityException e) {
      return result(
          Outcome.NOT_A_KEY_RECORD, "record's p= is not usable: " + e.getMessage(), details);
    }
    int bits = PublicKeys.bits(published);
    details.add("published key: " + type.tagValue() + ", " + bits + " bits");
    if (r.testing()) {
      details.add("t=y: the domain is testing DKIM; verifiers may ignore failures");
    }
    if (key.isPresent() && !matches(published, key.get())) {
      return result(Outcome.MISMATCH, "public key does not match the private key", details);
    }
    return usable(r, type, bits, details);
  }

  /** Whether verifiers accept what the key signs: h=, s= and RSA size. */
  private KeyCheckResult usable(KeyRecord r, KeyType type, int bits, List<String> details) {
    DkimAlgorithm a =
        algorithm.orElse(
            type == KeyType.RSA ? DkimAlgorithm.RSA_SHA256 : DkimAlgorithm.ED25519_SHA256);
    if (!r.allowsHash(a.hashName())) {
      return result(
          Outcome.UNUSABLE,
          "record's h="
              + String.join(":", r.hashes())
              + " does not allow "
              + a.hashName()
              + ", which "
              + a.tagValue()
              + " signatures use",
          details);
    }
    if (!r.allowsEmail()) {
      return result(
          Outcome.UNUSABLE,
          "record's s=" + String.join(":", r.services()) + " does not allow email",
          details);
    }
    if (type == KeyType.RSA && bits < MIN_RSA_BITS) {
      return result(
          Outcome.UNUSABLE,
          "the RSA key has "
              + bits
              + " bits; verifiers reject keys under "
              + MIN_RSA_BITS
              + " (RFC 8301 §3.2)",
          details);
    }
    String ok = key.isPresent() ? "key OK" : "record OK (no private key given to compare)";
    return result(Outcome.OK, ok, details);
  }

  /** Whether the published key is the private key's public half, compared as encoded keys. */
  private static boolean matches(PublicKey published, SigningKey key) {
    try {
      PublicKey own = PublicKeys.decode(key.type(), key.publicKey());
      return Arrays.equals(own.getEncoded(), published.getEncoded());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private KeyCheckResult result(Outcome outcome, String reason, List<String> details) {
    return new KeyCheckResult(domain, selector, outcome, reason, details);
  }
}
