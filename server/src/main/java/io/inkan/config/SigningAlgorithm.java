package io.inkan.config;

import java.util.Locale;

/** {@code SignatureAlgorithm}: RFC 6376 §3.3 rsa-sha256 or RFC 8463 ed25519-sha256. */
public enum SigningAlgorithm {
  RSA_SHA256("rsa-sha256"),
  ED25519_SHA256("ed25519-sha256");

  private final String tag;

  SigningAlgorithm(String tag) {
    this.tag = tag;
  }

  /** The {@code a=} tag value. */
  public String tag() {
    return tag;
  }

  static SigningAlgorithm parse(ConfigLine line) throws ConfigException {
    return switch (line.value().toLowerCase(Locale.ROOT)) {
      case "rsa-sha256" -> RSA_SHA256;
      case "ed25519-sha256" -> ED25519_SHA256;
      case "rsa-sha1" ->
          throw line.fail(
              "rsa-sha256 or ed25519-sha256 (RFC 8301 §3.1: signers MUST NOT sign with rsa-sha1)");
      default -> throw line.fail("rsa-sha256 or ed25519-sha256");
    };
  }

  @Override
  public String toString() {
    return tag;
  }
}
