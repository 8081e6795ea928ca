package io.inkan.dkim;

import static io.inkan.dkim.FuzzFailures.show;
import static io.inkan.dkim.FuzzFailures.stack;

import io.inkan.dkim.FuzzMutations.Mutation;
import io.inkan.dkim.crypto.SigningKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An independent reading of a DKIM signature for {@link DkimFuzzTest}: RFC 6376 §3.4 and §3.7
 * written out plainly, byte strings in, byte strings out, so that signer and verifier cannot agree
 * on a wrong canonical form unnoticed.
 */
final class FuzzReference {
  private FuzzReference() {}

  /** The case's signature must verify under this reference, bh= and l= included. */
  static void check(FuzzCase s, FuzzFailures failures) {
    Mutation m = new Mutation("signed original, checked by the reference", s.bytes());
    try {
      Canonicalization.Pair c = s.settings().canonicalization();
      byte[] canonical =
          c.body() == Canonicalization.RELAXED ? relaxedBody(s.body()) : simpleBody(s.body());
      String l = tag(s.signature(), "l");
      if (l != null && Long.parseLong(l) != canonical.length) {
        failures.add(
            s,
            m,
            "l="
                + l
                + " but the reference canonical body has "
                + canonical.length
                + " bytes: "
                + show(canonical, 0, canonical.length));
      }
      String bh =
          Base64.getEncoder()
              .encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical));
      if (!bh.equals(tag(s.signature(), "bh"))) {
        failures.add(
            s,
            m,
            "bh= differs from the reference "
                + bh
                + " over canonical body "
                + show(canonical, 0, canonical.length));
      }
      String sigWithoutB = s.signature().substring(0, s.bValue());
      byte[] block =
          headerBlock(
              c.header() == Canonicalization.RELAXED,
              s.fields(),
              List.of(tag(s.signature(), "h").split(":")),
              sigWithoutB);
      byte[] b = Base64.getDecoder().decode(tag(s.signature(), "b"));
      if (!verifies((io.inkan.dkim.crypto.SigningKey) s.settings().key(), block, b)) {
        failures.add(
            s,
            m,
            "b= does not verify under the reference; its header block: "
                + show(block, 0, block.length));
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      failures.add(s, m, "reference check threw " + stack(e));
    }
  }

  /** §3.4.3: trailing empty lines go, and the body ends in exactly one CRLF. */
  static byte[] simpleBody(byte[] body) {
    String t = new String(body, StandardCharsets.ISO_8859_1);
    while (t.endsWith("\r\n\r\n")) {
      t = t.substring(0, t.length() - 2);
    }
    if (!t.endsWith("\r\n")) {
      t += "\r\n";
    }
    return t.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** §3.4.4: WSP runs to one SP, none at line ends, no trailing empty lines. */
  static byte[] relaxedBody(byte[] body) {
    List<String> lines =
        new ArrayList<>(
            Arrays.asList(new String(body, StandardCharsets.ISO_8859_1).split("\r\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1); // what follows the last CRLF is no line
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      String l = line.replaceAll("[ \t]+", " ");
      out.add(l.endsWith(" ") ? l.substring(0, l.length() - 1) : l);
    }
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    StringBuilder sb = new StringBuilder();
    out.forEach(l -> sb.append(l).append("\r\n"));
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** §3.4.2: lower-case name, unfolded value, WSP runs to one SP, none around the colon. */
  private static String relaxedHeader(String raw) {
    int colon = raw.indexOf(':');
    String value = raw.substring(colon + 1).replace("\r\n", "").replaceAll("[ \t]+", " ");
    value = value.startsWith(" ") ? value.substring(1) : value;
    value = value.endsWith(" ") ? value.substring(0, value.length() - 1) : value;
    return name(raw).toLowerCase(Locale.ROOT) + ":" + value;
  }

  private static String name(String raw) {
    return raw.substring(0, raw.indexOf(':')).replaceAll("[ \t]+$", "");
  }

  /** §3.7 and §5.4.2: each h= name takes the last unused instance, then the signature. */
  private static byte[] headerBlock(
      boolean relaxed, List<String> fields, List<String> h, String sig) {
    StringBuilder sb = new StringBuilder();
    Map<String, Integer> used = new HashMap<>();
    for (String name : h) {
      String n = name.toLowerCase(Locale.ROOT);
      int skip = used.merge(n, 1, Integer::sum) - 1;
      for (int i = fields.size() - 1; i >= 0; i--) {
        if (name(fields.get(i)).equalsIgnoreCase(n) && skip-- == 0) {
          sb.append(relaxed ? relaxedHeader(fields.get(i)) : fields.get(i)).append("\r\n");
          break;
        }
      }
    }
    sb.append(relaxed ? relaxedHeader(sig) : sig);
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A tag's value with all white space removed, or null. */
  private static String tag(String field, String name) {
    for (String spec : field.substring(field.indexOf(':') + 1).split(";")) {
      int eq = spec.indexOf('=');
      if (eq > 0 && spec.substring(0, eq).strip().equals(name)) {
        return spec.substring(eq + 1).replaceAll("[ \t\r\n]", "");
      }
    }
    return null;
  }

  /** RSA over the block; Ed25519 over the block's SHA-256 (RFC 8463 §3), via Bouncy Castle. */
  private static boolean verifies(SigningKey key, byte[] block, byte[] sig)
      throws GeneralSecurityException {
    if (key.type() == DkimAlgorithm.KeyType.RSA) {
      Signature v = Signature.getInstance("SHA256withRSA");
      v.initVerify(
          KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(key.publicKey())));
      v.update(block);
      return v.verify(sig);
    }
    byte[] digest = MessageDigest.getInstance("SHA-256").digest(block);
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, new Ed25519PublicKeyParameters(key.publicKey(), 0));
    v.update(digest, 0, digest.length);
    return v.verifySignature(sig);
  }
}
