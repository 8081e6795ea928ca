package io.inkan.dkim;

/**
 * Verifies messages (RFC 6376 §6) with one policy and one key-record lookup. Thread-safe; each
 * message gets its own {@link VerificationSession}.
 */
public final class DkimVerifier {
  private final VerifierSettings settings;
  private final KeyRecordLookup lookup;

  public DkimVerifier(VerifierSettings settings, KeyRecordLookup lookup) {
    this.settings = settings;
    this.lookup = lookup;
  }

  public VerificationSession newSession() {
    return new VerificationSession(settings, lookup);
  }
}
