package io.inkan.keys.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.util.StaticUtils;
import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.DomainKeySource.DirectoryKey;
import io.inkan.keys.DomainKeySource.KeyOptions;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.ResolvedKey;
import java.nio.file.InvalidPathException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns one key entry (object classes {@code DKIM} and {@code inkanDkimKeyOptions},
 * ldap-schema/README.md) into a {@link KeyEntry}, or says why it cannot sign. Directory content
 * never makes it throw, and no reason ever quotes a {@code DKIMKey} value.
 */
final class KeyEntryParser {
  /** What a key lookup asks for: the DKIM and Inkan attributes, and the entry's UUID. */
  static final String[] ATTRIBUTES = {
    "DKIMSelector",
    "DKIMKey",
    "DKIMDomain",
    "DKIMIdentity",
    "inkanDkimActive",
    "inkanDkimAlgorithm",
    "inkanDkimCanonicalization",
    "inkanDkimSignedHeaders",
    "inkanDkimOversignedHeaders",
    "inkanDkimSignatureTtl",
    "inkanDkimNotBefore",
    "inkanDkimNotAfter",
    "entryUUID"
  };

  /** What became of an entry. */
  sealed interface Parsed permits Usable, Inactive, Unusable {}

  /** An entry that may sign (inside its validity window). */
  record Usable(KeyEntry entry) implements Parsed {}

  /** {@code inkanDkimActive: FALSE}: published, never signing. */
  record Inactive() implements Parsed {}

  /** An entry that cannot sign, and why (logged by the caller, once per DN). */
  record Unusable(String reason) implements Parsed {}

  private final ParsedKeys keys;

  KeyEntryParser(ParsedKeys keys) {
    this.keys = keys;
  }

  /** Parses {@code entry}, found below the entry of {@code domain} (normalized). */
  Parsed parse(Entry entry, DN dn, String domain) {
    String active = value(entry, "inkanDkimActive");
    if (active != null && active.equalsIgnoreCase("FALSE")) {
      return new Inactive();
    }
    try {
      if (active != null && !active.equalsIgnoreCase("TRUE")) {
        throw new Invalid("inkanDkimActive is neither TRUE nor FALSE");
      }
      String selector = selector(entry);
      SigningKey key = key(entry, dn);
      DkimAlgorithm algorithm = algorithm(entry, key);
      String signingDomain = signingDomain(entry, domain);
      ResolvedKey resolved =
          new ResolvedKey(dn.toString(), signingDomain, selector, key, algorithm);
      DirectoryKey directoryKey =
          new DirectoryKey(resolved, identity(entry, signingDomain), options(entry), dn.toString());
      return new Usable(
          new KeyEntry(
              dn,
              directoryKey,
              time(entry, "inkanDkimNotBefore"),
              time(entry, "inkanDkimNotAfter")));
    } catch (Invalid e) {
      return new Unusable(e.getMessage());
    }
  }

  /** Why an entry cannot sign; never leaves this class. */
  private static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String reason) {
      super(reason, null, false, false);
    }
  }

  /** {@code DKIMDomain} (d=), normalized; the domain searched when absent. */
  private static String signingDomain(Entry entry, String domain) throws Invalid {
    String d = value(entry, "DKIMDomain");
    if (d == null) {
      return domain;
    }
    return KeyTree.normalize(d)
        .orElseThrow(() -> new Invalid("DKIMDomain \"" + d + "\" is not a domain name"));
  }

  /**
   * {@code DKIMIdentity} (i=): an address whose domain is d= or below it (RFC 6376 §3.5), e.g.
   * {@code @example.com}.
   */
  private static Optional<String> identity(Entry entry, String signingDomain) throws Invalid {
    String i = value(entry, "DKIMIdentity");
    if (i == null) {
      return Optional.empty();
    }
    i = i.strip();
    int at = i.lastIndexOf('@');
    Optional<String> d = at < 0 ? Optional.empty() : KeyTree.normalize(i.substring(at + 1));
    if (d.isEmpty()
        || i.chars().anyMatch(c -> c <= ' ' || c == ';')
        || !(d.get().equals(signingDomain) || d.get().endsWith("." + signingDomain))) {
      throw new Invalid(
          "DKIMIdentity \""
              + i
              + "\" is not an address in "
              + signingDomain
              + " or below it (RFC 6376 §3.5)");
    }
    return Optional.of(i);
  }

  /** Selector syntax (RFC 6376 §3.1): dot-separated labels of letters, digits, - and _. */
  private static String selector(Entry entry) throws Invalid {
    String s = value(entry, "DKIMSelector");
    if (s == null) {
      throw new Invalid("no DKIMSelector");
    }
    s = s.strip();
    boolean ok = s.length() <= 253;
    for (String label : s.split("\\.", -1)) {
      ok &= !label.isEmpty() && label.length() <= 63 && label.chars().allMatch(KeyEntryParser::ldh);
    }
    if (!ok) {
      throw new Invalid("DKIMSelector \"" + s + "\" is not a selector (RFC 6376 §3.1)");
    }
    return s;
  }

  private static boolean ldh(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_';
  }

  private SigningKey key(Entry entry, DN dn) throws Invalid {
    String text = value(entry, "DKIMKey");
    if (text == null) {
      throw new Invalid("no DKIMKey");
    }
    try {
      return keys.parse(text.strip(), dn.toString());
    } catch (KeyTableException e) {
      throw new Invalid(e.getMessage());
    } catch (InvalidPathException e) {
      throw new Invalid("DKIMKey names no usable file: " + e.getReason());
    }
  }

  /** {@code inkanDkimAlgorithm}, which must fit the key; the key's own when absent. */
  private static DkimAlgorithm algorithm(Entry entry, SigningKey key) throws Invalid {
    String text = value(entry, "inkanDkimAlgorithm");
    if (text == null) {
      return key.defaultAlgorithm();
    }
    Optional<DkimAlgorithm> a = DkimAlgorithm.parse(text);
    if (a.isEmpty() || a.get() == DkimAlgorithm.RSA_SHA1) {
      throw new Invalid("inkanDkimAlgorithm \"" + text + "\" is not rsa-sha256 or ed25519-sha256");
    }
    if (a.get().keyType() != key.type()) {
      throw new Invalid(
          "inkanDkimAlgorithm " + a.get().tagValue() + " does not fit its " + key.type() + " key");
    }
    return a.get();
  }

  private static KeyOptions options(Entry entry) throws Invalid {
    Optional<String> canonicalization = Optional.empty();
    String c = value(entry, "inkanDkimCanonicalization");
    if (c != null) {
      Canonicalization.Pair pair =
          Canonicalization.Pair.parse(c.strip())
              .orElseThrow(
                  () ->
                      new Invalid(
                          "inkanDkimCanonicalization \""
                              + c
                              + "\" is not simple or relaxed (header/body)"));
      canonicalization = Optional.of(pair.tagValue());
    }
    Optional<List<String>> signed = headers(entry, "inkanDkimSignedHeaders");
    if (signed.isPresent() && !signed.get().contains("from")) {
      throw new Invalid("inkanDkimSignedHeaders does not name From (RFC 6376 §5.4)");
    }
    Optional<List<String>> oversigned = headers(entry, "inkanDkimOversignedHeaders");
    OptionalLong ttl = OptionalLong.empty();
    String t = value(entry, "inkanDkimSignatureTtl");
    if (t != null) {
      long seconds;
      try {
        seconds = Long.parseLong(t.strip());
      } catch (NumberFormatException e) {
        seconds = -1;
      }
      if (seconds < 0) {
        throw new Invalid("inkanDkimSignatureTtl \"" + t + "\" is not a number of seconds >= 0");
      }
      ttl = OptionalLong.of(seconds);
    }
    return new KeyOptions(canonicalization, signed, oversigned, ttl);
  }

  /** Comma-separated header field names (RFC 5322 §3.6.8), lower case, each once. */
  private static Optional<List<String>> headers(Entry entry, String attribute) throws Invalid {
    String v = value(entry, attribute);
    if (v == null) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    for (String raw : v.split(",", -1)) {
      String name = raw.strip().toLowerCase(Locale.ROOT);
      if (name.isEmpty() || names.contains(name)) {
        continue;
      }
      if (!name.chars().allMatch(ch -> ch > 32 && ch < 127 && ch != ':')) {
        throw new Invalid(attribute + " is not comma-separated header field names");
      }
      names.add(name);
    }
    return Optional.of(List.copyOf(names));
  }

  private static Optional<Instant> time(Entry entry, String attribute) throws Invalid {
    String v = value(entry, attribute);
    if (v == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(StaticUtils.decodeGeneralizedTime(v.strip()).toInstant());
    } catch (ParseException e) {
      throw new Invalid(attribute + " \"" + v + "\" is not a GeneralizedTime");
    }
  }

  private static String value(Entry entry, String attribute) {
    String v = entry.getAttributeValue(attribute);
    return v == null || v.isBlank() ? null : v;
  }
}
