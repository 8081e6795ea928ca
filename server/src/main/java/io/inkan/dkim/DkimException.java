package io.inkan.dkim;

/**
 * A permanent problem with a signature or key record (RFC 6376 §6.1: PERMFAIL). Used inside the
 * engine only; every public entry point turns it into a {@link VerificationResult} or a refusal.
 */
public final class DkimException extends Exception {
  private final DkimResult result;

  public DkimException(DkimResult result, String reason) {
    super(reason, null, false, false);
    this.result = result;
  }

  public static DkimException permerror(String reason) {
    return new DkimException(DkimResult.PERMERROR, reason);
  }

  public DkimResult result() {
    return result;
  }
}
