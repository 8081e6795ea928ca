package io.inkan.dkim;

import java.util.Locale;
import java.util.Optional;

/** Signing algorithms of the {@code a=} tag (RFC 6376 §3.3, RFC 8463 §3, RFC 8301). */
public enum DkimAlgorithm {
  RSA_SHA256("rsa-sha256", KeyType.RSA, "SHA-256"),
  ED25519_SHA256("ed25519-sha256", KeyType.ED25519, "SHA-256"),
  /** Verification only, and only behind a legacy switch: RFC 8301 §3.1 forbids it. */
  RSA_SHA1("rsa-sha1", KeyType.RSA, "SHA-1");

  private final String tagValue;
  private final KeyType keyType;
  private final String digest;

  DkimAlgorithm(String tagValue, KeyType keyType, String digest) {
    this.tagValue = tagValue;
    this.keyType = keyType;
    this.digest = digest;
  }

  public String tagValue() {
    return tagValue;
  }

  public KeyType keyType() {
    return keyType;
  }

  /** JCA name of the hash over the body and the header block. */
  public String digestAlgorithm() {
    return digest;
  }

  /** The hash name as written in a key record's {@code h=} tag. */
  public String hashName() {
    return this == RSA_SHA1 ? "sha1" : "sha256";
  }

  public static Optional<DkimAlgorithm> parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    for (DkimAlgorithm a : values()) {
      if (a.tagValue.equals(t)) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Key types of the key record's {@code k=} tag. */
  public enum KeyType {
    RSA("rsa"),
    ED25519("ed25519");

    private final String tagValue;

    KeyType(String tagValue) {
      this.tagValue = tagValue;
    }

    public String tagValue() {
      return tagValue;
    }

    public static Optional<KeyType> parse(String text) {
      String t = text.trim().toLowerCase(Locale.ROOT);
      for (KeyType k : values()) {
        if (k.tagValue.equals(t)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }
}
