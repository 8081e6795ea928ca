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

  /** Policy, time and body-hash checks that need no key; null when they all pass. */
  static VerificationResult beforeLookup(
      DkimSignature sig, VerifierSettings s, long now, BodyHasher body) {
    if (sig.algorithm() == DkimAlgorithm.RSA_SHA1 && !s.acceptSha1()) {
      return result(sig, DkimResult.POLICY, "rsa-sha1 is not accepted (RFC 8301)");
    }
    if (sig.expiration().isPresent() && sig.expiration().getAsLong() < now) {
      return result(sig, DkimResult.FAIL, "signature expired");
    }
    if (sig.timestamp().isPresent()
        && sig.timestamp().getAsLong() > now + s.clockDriftSeconds()) {
      return result(sig, DkimResult.FAIL, "signature timestamp in the future");
    }
    if (sig.bodyLength().isPresent() && sig.bodyLength().getAsLong() > body.canonicalLength()) {
      return result(sig, DkimResult.FAIL, "l= exceeds the body length");
    }
    if (!MessageDigest.isEqual(sig.bodyHash(), body.hash())) {
      return result(sig, DkimResult.FAIL, "body hash did not verify");
    }
    return null;
  }

  /** Key-record selection, key checks and the signature check itself. */
  static VerificationResult withKey(
      DkimSignature sig, KeyLookupResult lookup, VerifierSettings s, List<HeaderField> headers) {
    boolean secure;
    KeyRecord key;
    if (lookup instanceof KeyLookupResult.NxDomain) {
      return result(sig, DkimResult.PERMERROR, "no key for signature (NXDOMAIN)");
    }
    if (lookup instanceof KeyLookupResult.NoData) {
      return result(sig, DkimResult.PERMERROR, "no key for signature (no TXT record)");
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
      PublicKey publicKey = PublicKeys.decode(sig.algorithm().keyType(), key.publicKey());
      int bits = PublicKeys.bits(publicKey);
      if (sig.algorithm().keyType() == DkimAlgorithm.KeyType.RSA && bits < s.minKeyBits()) {
        return result(sig, DkimResult.PERMERROR,
            "key too short (" + bits + " bits, minimum " + s.minKeyBits() + ")", key, secure);
      }
      byte[] block = SignedHeaderBlock.build(sig.canonicalization().header(), headers,
          sig.signedHeaders(), SignedHeaderBlock.withoutSignatureValue(sig.field().raw()));
      if (DkimCrypto.verify(sig.algorithm(), publicKey, block, sig.signature())) {
        return result(sig, DkimResult.PASS, "signature verified", key, secure);
      }
      return result(sig, DkimResult.FAIL, "signature did not verify", key, secure);
    } catch (DkimException e) {
      return result(sig, e.result(), e.getMessage(), key, secure);
    } catch (GeneralSecurityException e) {
      return result(sig, DkimResult.PERMERROR, "invalid public key: " + e.getMessage(), key,
          secure);
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

  private static void checkKey(DkimSignature sig, KeyRecord key) throws DkimException {
    if (key.keyType().isEmpty()) {
      throw DkimException.permerror("unknown key type k=" + key.unknownKeyType());
    }
    if (key.keyType().get() != sig.algorithm().keyType()) {
      throw DkimException.permerror("key type k=" + key.unknownKeyType() + " does not match a="
          + sig.algorithm().tagValue());
    }
    if (!key.allowsHash(sig.algorithm().hashName())) {
      throw DkimException.permerror("key h= does not allow " + sig.algorithm().hashName());
    }
    if (!key.allowsEmail()) {
      throw DkimException.permerror("key s= is not for email");
    }
    if (key.revoked()) {
      throw DkimException.permerror("key revoked");
    }
    if (key.strictIdentity() && !sig.identityDomain().equals(sig.domain())) {
      throw DkimException.permerror("key t=s forbids a subdomain in i=");
    }
    if (key.granularity().isPresent()
        && !Granularity.matches(key.granularity().get(), sig.identityLocalPart())) {
      throw DkimException.permerror("key g= does not match the i= local part");
    }
  }

  static VerificationResult result(DkimSignature sig, DkimResult r, String reason) {
    return result(sig, r, reason, null, false);
  }

  private static VerificationResult result(
      DkimSignature sig, DkimResult r, String reason, KeyRecord key, boolean secure) {
    return new VerificationResult(r, sig.domain(), sig.identity(), sig.selector(),
        sig.algorithm().tagValue(), sig.bPrefix(VerificationResult.B_PREFIX), reason,
        key != null && key.testing(), secure);
  }
}
