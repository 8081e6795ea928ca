package io.inkan.config;

/**
 * The {@code On-*} actions after {@code On-Default} was applied first and the specific keys on top
 * of it, as OpenDKIM does regardless of their order in the file.
 */
public record OnActions(
    MilterAction badSignature,
    MilterAction dnsError,
    MilterAction internalError,
    MilterAction keyNotFound,
    MilterAction noSignature,
    MilterAction security,
    MilterAction signatureError) {

  /** OpenDKIM's documented defaults (opendkim.conf(5)). */
  public static final OnActions DEFAULTS =
      new OnActions(
          MilterAction.ACCEPT,
          MilterAction.TEMPFAIL,
          MilterAction.TEMPFAIL,
          MilterAction.ACCEPT,
          MilterAction.ACCEPT,
          MilterAction.TEMPFAIL,
          MilterAction.REJECT);

  static OnActions all(MilterAction a) {
    return new OnActions(a, a, a, a, a, a, a);
  }
}
