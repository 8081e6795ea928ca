package io.inkan.dkim;

import io.inkan.dkim.crypto.DkimCrypto;
import io.inkan.dkim.crypto.PublicKeys;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** The checks of RFC 6376 §6.1 for one parsed signature, as pure functions. */
final class SignatureCheck {
  private SignatureCheck() {}

  /**
   * The policy and time checks of RFC 6376 §6.1.1 that come before the key query; null when they
   * all pass. The body hash is checked only after the key (§6.1.3), so that a key that cannot be
   * had is reported as such (§6.1.2) even when the body was changed too.
   */
  static VerificationResult beforeLookup(DkimSignature sig, VerifierSettings s, long now) {
    if (sig.algorithm() == DkimAlgorithm.RSA_SHA1 && !s.acceptSha1()) {
      return result(sig, DkimResult.POLICY, "rsa-sha1 is not accepted (RFC 8301)");
    }
    if (sig.expiration().isPresent() && sig.expiration().getAsLong() < now) {
      return result(sig, DkimResult.FAIL, "signature expired");
    }
    if (sig.timestamp().isPresent() && sig.timestamp().getAsLong() > now + s.clockDriftSeconds()) {
      return result(sig, DkimResult.FAIL, "signature timestamp in the future");
    }
    return null;
  }

  /**
   * Key-record selection and checks (RFC 6376 §6.1.2), then the body hash and the signature itself
   * (§6.1.3).
   *
   * @param bodyHash the hash of the canonical body, cut at {@code l=}
   * @param bodyLength the whole canonical body length
   */
  static VerificationResult withKey(
      DkimSignature sig,
      KeyLookupResult lookup,
      VerifierSettings s,
      List<HeaderField> headers,
      byte[] bodyHash,
      long bodyLength) {
    boolean secure;
    KeyRecord key;
    if (lookup instanceof KeyLookupResult.NxDomain) {
      return result(sig, DkimResult.PERMERROR, VerificationResult.NO_KEY + " (NXDOMAIN)");
    }
    if (lookup instanceof KeyLookupResult.NoData) {
      return result(sig, DkimResult.PERMERROR, VerificationResult.NO_KEY + " (no TXT record)");
    }
    if (lookup instanceof KeyLookupResult.TempFail t) {
      return result(sig, DkimResult.TEMPERROR, "key query failed: " + t.reason());
    }
    KeyLookupResult.Found found = (KeyLookupResult.Found) lookup;
    secure = found.dnssecSecure();
    try {
      key = select(found);
    } catch (DkimException e) {
      return result(sig, e.result(), e.getMessage());
    }
    try {
      checkKey(sig, key);
      PublicKey publicKey = decode(sig, key);
      int bits = PublicKeys.bits(publicKey);
      if (sig.algorithm().keyType() == DkimAlgorithm.KeyType.RSA && bits < s.minKeyBits()) {
        return result(
            sig,
            DkimResult.PERMERROR,
            "key too short (" + bits + " bits, minimum " + s.minKeyBits() + ")",
            key,
            secure);
      }
      if (sig.bodyLength().isPresent() && sig.bodyLength().getAsLong() > bodyLength) {
        return result(sig, DkimResult.FAIL, "l= exceeds the body length", key, secure);
      }
      if (!MessageDigest.isEqual(sig.bodyHash(), bodyHash)) {
        return result(sig, DkimResult.FAIL, "body hash did not verify", key, secure);
      }
      byte[] block =
          SignedHeaderBlock.build(
              sig.canonicalization().header(),
              headers,
              sig.signedHeaders(),
              SignedHeaderBlock.withoutSignatureValue(sig.field().raw()));
      if (DkimCrypto.verify(sig.algorithm(), publicKey, block, sig.signature())) {
        return result(sig, DkimResult.PASS, "signature verified", key, secure);
      }
      return result(sig, DkimResult.FAIL, "signature did not verify", key, secure);
    } catch (DkimException e) {
      return result(sig, e.result(), e.getMessage(), key, secure);
    }
  }

  /** {@code p=} as a key for {@code a=} (RFC 6376 §6.1.2 step 8, RFC 8463 §4). */
  private static PublicKey decode(DkimSignature sig, KeyRecord key) throws DkimException {
    try {
      return PublicKeys.decode(sig.algorithm().keyType(), key.publicKey());
    } catch (GeneralSecurityException | RuntimeException e) {
      // p= is the sender's data handed to a JCA provider: whatever it throws means a bad key.
      throw DkimException.permerror("invalid public key: " + e.getMessage());
    }
  }

  /** Exactly one TXT record must be a DKIM key record (RFC 6376 §3.6.2.2). */
  private static KeyRecord select(KeyLookupResult.Found found) throws DkimException {
    List<KeyRecord> keys = new ArrayList<>();
    String firstProblem = "no TXT record";
    for (KeyLookupResult.TxtRecord r : found.records()) {
      try {
        keys.add(KeyRecord.parse(r.text()));
      } catch (DkimException e) {
        if (keys.isEmpty()) {
          firstProblem = e.getMessage();
        }
      }
    }
    if (keys.isEmpty()) {
      throw DkimException.permerror("no valid key record: " + firstProblem);
    }
    if (keys.size() > 1) {
      throw DkimException.permerror("multiple key records (" + keys.size() + ")");
    }
    return keys.get(0);
  }

  /** The key checks of RFC 6376 §6.1.2 steps 5 to 8, in that order, then §3.6.1 {@code t=s}. */
  private static void checkKey(DkimSignature sig, KeyRecord key) throws DkimException {
    if (key.keyType().isEmpty()) {
      throw DkimException.permerror("unknown key type k=" + key.unknownKeyType());
    }
    if (!key.allowsEmail()) {
      throw DkimException.permerror("key s= is not for email");
    }
    if (!key.allowsHash(sig.algorithm().hashName())) {
      throw DkimException.permerror("key h= does not allow " + sig.algorithm().hashName());
    }
    if (key.revoked()) {
      throw DkimException.permerror("key revoked");
    }
    if (key.keyType().get() != sig.algorithm().keyType()) {
      throw DkimException.permerror(
          "key type k=" + key.unknownKeyType() + " does not match a=" + sig.algorithm().tagValue());
    }
    if (key.strictIdentity() && !sig.identityDomain().equals(sig.domain())) {
      throw DkimException.permerror("key t=s forbids a subdomain in i=");
    }
  }

  static VerificationResult result(DkimSignature sig, DkimResult r, String reason) {
    return result(sig, r, reason, null, false);
  }

  private static VerificationResult result(
      DkimSignature sig, DkimResult r, String reason, KeyRecord key, boolean secure) {
    return new VerificationResult(
        r,
        sig.domain(),
        sig.identity(),
        sig.selector(),
        sig.algorithm().tagValue(),
        sig.bPrefix(VerificationResult.B_PREFIX),
        reason,
        key != null && key.testing(),
        secure);
  }
}
