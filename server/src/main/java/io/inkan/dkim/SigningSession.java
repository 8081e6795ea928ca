package io.inkan.dkim;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One message being signed: header fields are kept, the body streams through the canonicalizer and
 * hash. {@link #prepare} yields the header block to sign, so the private-key operation can run
 * elsewhere (another thread, another node).
 */
public final class SigningSession implements MessageSink {
  private final SignerSettings settings;
  private final long now;
  private final List<HeaderField> headers = new ArrayList<>();
  private final BodyHasher hasher;
  private final BodyCanonicalizer body;
  private String malformed;

  SigningSession(SignerSettings settings, long now) {
    this.settings = settings;
    this.now = now;
    this.hasher = new BodyHasher(settings.algorithm().digestAlgorithm(), Long.MAX_VALUE);
    this.body = BodyCanonicalizer.of(settings.canonicalization().body(), hasher);
  }

  @Override
  public void header(HeaderField field) {
    headers.add(field);
  }

  @Override
  public void endOfHeaders() {}

  @Override
  public void body(byte[] b, int off, int len) {
    body.update(b, off, len);
  }

  @Override
  public void malformed(String reason) {
    malformed = reason;
  }

  /** Ends the body and builds the unsigned signature field and the data to sign. */
  public Prepared prepare() {
    if (malformed != null) {
      return Prepared.refused("malformed message: " + malformed);
    }
    long froms = headers.stream().filter(h -> h.is("from")).count();
    if (froms == 0) {
      return Prepared.refused("message has no From header field");
    }
    body.finish();
    List<String> names = signedNames();
    SignatureFieldWriter w = new SignatureFieldWriter();
    w.tag("v", "1")
        .tag("a", settings.algorithm().tagValue())
        .tag("c", settings.canonicalization().tagValue())
        .tag("d", settings.domain());
    settings.identity().ifPresent(i -> w.tag("i", i));
    w.tag("q", "dns/txt").tag("s", settings.selector()).tag("t", Long.toString(now));
    settings.ttlSeconds().ifPresent(ttl -> w.tag("x", Long.toString(now + ttl)));
    w.listTag("h", names);
    if (settings.bodyLengthTag()) {
      w.tag("l", Long.toString(hasher.canonicalLength()));
    }
    if (settings.copyHeaders()) {
      w.breakableTag("z", copies(names), false);
    }
    w.tag("bh", Base64.getEncoder().encodeToString(hasher.hash()));
    w.breakableTag("b", "", true);
    String unsigned = w.text();
    byte[] block =
        SignedHeaderBlock.build(settings.canonicalization().header(), headers, names, unsigned);
    return new Prepared(null, block, unsigned);
  }

  /** Signed names: each present instance of the configured names, then the oversigned ones. */
  private List<String> signedNames() {
    List<String> names = new ArrayList<>();
    for (String n : settings.signedHeaders()) {
      long count = headers.stream().filter(h -> h.is(n)).count();
      for (long i = 0; i < count; i++) {
        names.add(n);
      }
    }
    for (String n : settings.oversignedHeaders()) {
      long count = headers.stream().filter(h -> h.is(n)).count();
      long already = settings.signedHeaders().contains(n) ? count : 0;
      for (long i = already; i <= count; i++) {
        names.add(n);
      }
    }
    return names;
  }

  /** {@code z=} (RFC 6376 §3.5): signed fields, unfolded, dkim-quoted-printable, '|'-joined. */
  private String copies(List<String> names) {
    StringBuilder sb = new StringBuilder();
    for (HeaderField h : headers) {
      if (names.contains(h.lowerName())) {
        if (sb.length() > 0) {
          sb.append('|');
        }
        sb.append(h.name()).append(':');
        quotedPrintable(h.value().replace("\r\n", ""), sb);
      }
    }
    return sb.toString();
  }

  private static void quotedPrintable(String value, StringBuilder sb) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean safe = c > 0x20 && c < 0x7f && c != ';' && c != '=' && c != '|' && c != ':';
      if (safe) {
        sb.append(c);
      } else {
        sb.append('=').append(String.format(Locale.ROOT, "%02X", (int) c & 0xff));
      }
    }
  }

  /**
   * A message ready for the private-key operation.
   *
   * @param refusal why it cannot be signed, or null
   * @param headerBlock the bytes to sign
   * @param unsignedField the DKIM-Signature field with an empty {@code b=}
   */
  public record Prepared(String refusal, byte[] headerBlock, String unsignedField) {
    static Prepared refused(String reason) {
      return new Prepared(reason, null, null);
    }

    /** The final field: the unsigned one with the base64 signature appended, folded. */
    public HeaderField complete(String b64) {
      StringBuilder sb = new StringBuilder(unsignedField);
      int column = unsignedField.length() - unsignedField.lastIndexOf('\n') - 1;
      for (int i = 0; i < b64.length(); i++) {
        if (column >= SignatureFieldWriter.LINE) {
          sb.append("\r\n ");
          column = 1;
        }
        sb.append(b64.charAt(i));
        column++;
      }
      return HeaderField.of(sb.toString());
    }
  }
}
