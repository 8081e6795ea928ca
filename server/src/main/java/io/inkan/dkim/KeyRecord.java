package io.inkan.dkim;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A DKIM key record from DNS (RFC 6376 §3.6.1, RFC 8463 §4). Unknown tags are ignored, the RFC 4871
 * {@code g=} tag included (RFC 6376 Appendix C.2: it "MUST now be ignored").
 *
 * @param keyType {@code k=}, defaulting to rsa; empty when the record names an unknown type
 * @param unknownKeyType the unknown {@code k=} value, for the reason text
 * @param hashes {@code h=} acceptable hashes, empty meaning all
 * @param services {@code s=} service types
 * @param flags {@code t=} flags
 * @param publicKey {@code p=} decoded; empty array means revoked
 */
public record KeyRecord(
    Optional<KeyType> keyType,
    String unknownKeyType,
    List<String> hashes,
    List<String> services,
    List<String> flags,
    byte[] publicKey) {

  /**
   * Parses a TXT record as a key record.
   *
   * @throws DkimException when the text is not a DKIM key record (bad tag list, wrong {@code v=},
   *     no {@code p=}, {@code p=} not base64)
   */
  public static KeyRecord parse(String text) throws DkimException {
    TagList tags = TagList.parse(text);
    Optional<String> v = tags.get("v");
    if (v.isPresent()) {
      if (!v.get().equals("DKIM1")) {
        throw DkimException.permerror("key record has v=" + v.get() + ", not DKIM1");
      }
      if (!tags.firstName().orElse("").equals("v")) {
        throw DkimException.permerror("key record v= tag is not first");
      }
    }
    String k = tags.get("k").orElse("rsa");
    String p = TagList.stripFws(tags.require("p"));
    byte[] key;
    try {
      key = Base64.getDecoder().decode(p);
    } catch (IllegalArgumentException e) {
      throw DkimException.permerror("key record p= is not valid base64");
    }
    return new KeyRecord(
        KeyType.parse(k),
        k,
        list(tags.get("h")),
        tags.get("s").map(KeyRecord::split).orElse(List.of("*")),
        list(tags.get("t")),
        key);
  }

  private static List<String> list(Optional<String> value) {
    return value.map(KeyRecord::split).orElse(List.of());
  }

  private static List<String> split(String value) {
    return Arrays.stream(value.split(":"))
        .map(s -> TagList.stripFws(s).toLowerCase(Locale.ROOT))
        .filter(s -> !s.isEmpty())
        .toList();
  }

  public boolean revoked() {
    return publicKey.length == 0;
  }

  /** {@code t=y}: the domain is testing DKIM. */
  public boolean testing() {
    return flags.contains("y");
  }

  /** {@code t=s}: {@code i=} must not be a subdomain of {@code d=}. */
  public boolean strictIdentity() {
    return flags.contains("s");
  }

  public boolean allowsHash(String hash) {
    return hashes.isEmpty() || hashes.contains(hash);
  }

  public boolean allowsEmail() {
    return services.contains("*") || services.contains("email");
  }
}
