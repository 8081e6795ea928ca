package io.inkan.dkim;

import java.util.function.LongSupplier;

/**
 * Verification policy knobs.
 *
 * @param maxSignatures signatures verified per message; later ones are reported neutral
 * @param minKeyBits RSA keys shorter than this are a permerror (RFC 8301 §3.2)
 * @param acceptSha1 whether rsa-sha1 may pass; otherwise it is a policy failure (RFC 8301 §3.1)
 * @param clockDriftSeconds how far in the future {@code t=} may be
 * @param clock seconds since the epoch
 */
public record VerifierSettings(
    int maxSignatures,
    int minKeyBits,
    boolean acceptSha1,
    long clockDriftSeconds,
    LongSupplier clock) {

  public VerifierSettings {
    if (maxSignatures < 1) {
      throw new IllegalArgumentException("maxSignatures must be >= 1, got " + maxSignatures);
    }
    if (minKeyBits < 0) {
      throw new IllegalArgumentException("minKeyBits must be >= 0, got " + minKeyBits);
    }
  }

  public static VerifierSettings defaults() {
    return new VerifierSettings(5, 1024, false, 300, () -> System.currentTimeMillis() / 1000);
  }

  public VerifierSettings withMaxSignatures(int n) {
    return new VerifierSettings(n, minKeyBits, acceptSha1, clockDriftSeconds, clock);
  }

  public VerifierSettings withMinKeyBits(int bits) {
    return new VerifierSettings(maxSignatures, bits, acceptSha1, clockDriftSeconds, clock);
  }

  public VerifierSettings withAcceptSha1(boolean accept) {
    return new VerifierSettings(maxSignatures, minKeyBits, accept, clockDriftSeconds, clock);
  }

  public VerifierSettings withClock(LongSupplier c) {
    return new VerifierSettings(maxSignatures, minKeyBits, acceptSha1, clockDriftSeconds, c);
  }
}
