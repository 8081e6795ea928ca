package io.inkan.dkim;

import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

/**
 * The RSA and Ed25519 keys {@link DkimFuzzTest} signs with, derived from its seed, and a verifier
 * that finds their public keys under any name.
 */
record FuzzKeys(SigningKey rsa, SigningKey ed) {

  static FuzzKeys fromSeed(long seed) throws GeneralSecurityException {
    SecureRandom keyRandom = SecureRandom.getInstance("SHA1PRNG");
    keyRandom.setSeed(seed);
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(1024, keyRandom);
    byte[] pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
    SigningKey rsa =
        PrivateKeyReader.read(
            "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n");
    byte[] edSeed = new byte[32];
    new Random(seed).nextBytes(edSeed);
    SigningKey ed = PrivateKeyReader.read(Base64.getEncoder().encodeToString(edSeed));
    return new FuzzKeys(rsa, ed);
  }

  /** A verifier at {@link FuzzEngine#NOW} whose key lookup answers every name. */
  DkimVerifier verifier() {
    String rsaRecord = "v=DKIM1; k=rsa; p=" + rsa.publicKeyBase64();
    String edRecord = "v=DKIM1; k=ed25519; p=" + ed.publicKeyBase64();
    // Any name answers, so that a damaged d= or s= still reaches the signature check.
    KeyRecordLookup lookup =
        name ->
            CompletableFuture.completedFuture(
                KeyLookupResult.Found.of(name.startsWith("ed") ? edRecord : rsaRecord));
    return new DkimVerifier(VerifierSettings.defaults().withClock(() -> FuzzEngine.NOW), lookup);
  }
}
