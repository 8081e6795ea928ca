package io.inkan.keys.admin;

import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TextParseException;

/**
 * A TSIG key (RFC 8945) for signing dynamic updates, read from the forms name servers' tools write:
 *
 * <ul>
 *   <li>BIND's {@code tsig-keygen} and {@code key} statements: {@code key "NAME" { algorithm
 *       hmac-sha256; secret "BASE64"; };}
 *   <li>Knot's {@code keymgr -t NAME}: {@code key: - id: NAME algorithm: hmac-sha256 secret:
 *       BASE64}
 *   <li>one line {@code NAME:ALGORITHM:BASE64}, or {@code [ALGORITHM:]NAME:BASE64} as {@code
 *       nsupdate -y} and {@code knsupdate -y} take it (algorithm hmac-sha256 when absent)
 * </ul>
 *
 * @param name the key's name, which the server looks it up by
 * @param algorithm e.g. {@code hmac-sha256}
 * @param secret the shared secret
 */
public record TsigKey(String name, String algorithm, byte[] secret) {
  private static final Set<String> ALGORITHMS =
      Set.of("hmac-md5", "hmac-sha1", "hmac-sha224", "hmac-sha256", "hmac-sha384", "hmac-sha512");

  private static final Pattern BIND =
      Pattern.compile("\\bkey\\s+\"?([^\"\\s{]+)\"?\\s*\\{(.*?)\\}\\s*;", Pattern.DOTALL);
  private static final Pattern BIND_ALGORITHM =
      Pattern.compile("\\balgorithm\\s+\"?([A-Za-z0-9.-]+)\"?\\s*;");
  private static final Pattern BIND_SECRET = Pattern.compile("\\bsecret\\s+\"([^\"]*)\"\\s*;");
  private static final Pattern KNOT_ID = Pattern.compile("(?m)^\\s*-?\\s*id:\\s*\"?([^\"\\s]+)");
  private static final Pattern KNOT_ALGORITHM =
      Pattern.compile("(?m)^\\s*algorithm:\\s*\"?([A-Za-z0-9.-]+)");
  private static final Pattern KNOT_SECRET = Pattern.compile("(?m)^\\s*secret:\\s*\"?([^\"\\s]+)");

  public TsigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(algorithm, "algorithm");
    secret = secret.clone();
  }

  @Override
  public byte[] secret() {
    return secret.clone();
  }

  /** dnsjava's signer for this key. */
  public TSIG tsig() throws TextParseException {
    return new TSIG(TSIG.algorithmToName(algorithm), Name.fromString(absolute(name)), secret);
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    return "TsigKey[" + name + ", " + algorithm + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TsigKey k
        && k.name.equals(name)
        && k.algorithm.equals(algorithm)
        && java.util.Arrays.equals(k.secret, secret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, algorithm, java.util.Arrays.hashCode(secret));
  }

  /**
   * Parses key file text.
   *
   * @param source names the text in the error message
   * @throws KeyAdminException naming what is wrong, never quoting the secret
   */
  public static TsigKey parse(String text, String source) throws KeyAdminException {
    String t = stripComments(text);
    Optional<TsigKey> key =
        Optional.ofNullable(bind(t))
            .or(() -> Optional.ofNullable(knot(t)))
            .or(() -> Optional.ofNullable(colons(t.strip())));
    if (key.isEmpty()) {
      throw new KeyAdminException(
          source
              + ": no TSIG key found; expected key \"NAME\" { algorithm hmac-sha256; secret"
              + " \"BASE64\"; }; or NAME:ALGORITHM:BASE64");
    }
    return check(key.get(), source);
  }

  private static TsigKey bind(String text) {
    Matcher m = BIND.matcher(text);
    if (!m.find()) {
      return null;
    }
    Matcher alg = BIND_ALGORITHM.matcher(m.group(2));
    Matcher sec = BIND_SECRET.matcher(m.group(2));
    return new TsigKey(
        m.group(1),
        alg.find() ? alg.group(1) : "hmac-sha256",
        sec.find() ? decode(sec.group(1)) : new byte[0]);
  }

  private static TsigKey knot(String text) {
    Matcher id = KNOT_ID.matcher(text);
    Matcher sec = KNOT_SECRET.matcher(text);
    if (!id.find() || !sec.find()) {
      return null;
    }
    Matcher alg = KNOT_ALGORITHM.matcher(text);
    return new TsigKey(
        id.group(1), alg.find() ? alg.group(1) : "hmac-sha256", decode(sec.group(1)));
  }

  private static TsigKey colons(String line) {
    if (line.contains("\n")) {
      return null;
    }
    String[] f = line.split(":");
    if (f.length == 2) {
      return new TsigKey(f[0], "hmac-sha256", decode(f[1]));
    }
    if (f.length != 3) {
      return null;
    }
    if (ALGORITHMS.contains(f[0].toLowerCase(Locale.ROOT))) {
      return new TsigKey(f[1], f[0], decode(f[2]));
    }
    return new TsigKey(f[0], f[1], decode(f[2]));
  }

  private static TsigKey check(TsigKey key, String source) throws KeyAdminException {
    String alg = key.algorithm.toLowerCase(Locale.ROOT);
    if (alg.endsWith(".")) {
      alg = alg.substring(0, alg.length() - 1);
    }
    if (!ALGORITHMS.contains(alg)) {
      throw new KeyAdminException(
          source + ": TSIG algorithm \"" + key.algorithm + "\" is none of " + ALGORITHMS);
    }
    if (key.secret.length == 0) {
      throw new KeyAdminException(source + ": the TSIG key has no (valid base64) secret");
    }
    try {
      Name.fromString(absolute(key.name));
    } catch (TextParseException e) {
      throw new KeyAdminException(source + ": \"" + key.name + "\" is no DNS name for a key");
    }
    return new TsigKey(key.name, alg, key.secret);
  }

  private static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static String absolute(String name) {
    return name.endsWith(".") ? name : name + ".";
  }

  private static String stripComments(String text) {
    // base64 has '/' but neither '#' nor '*': "//" counts only at the start of a line
    return text.replaceAll("(?s)/\\*.*?\\*/", "")
        .replaceAll("(?m)#.*$", "")
        .replaceAll("(?m)^\\s*//.*$", "");
  }
}
