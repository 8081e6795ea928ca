package io.inkan.dkim;

import java.util.Locale;

/** Outcome of one signature's verification, as named by RFC 8601 §2.7.1. */
public enum DkimResult {
  NONE,
  PASS,
  FAIL,
  POLICY,
  NEUTRAL,
  TEMPERROR,
  PERMERROR;

  /** The lower-case keyword used in Authentication-Results. */
  public String keyword() {
    return name().toLowerCase(Locale.ROOT);
  }
}
