package io.inkan.dns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Type;
import org.xbill.DNS.dnssec.ValidatingResolver;

/**
 * DNSSEC trust anchors ({@code TrustAnchorFile}): DS or DNSKEY records in zone-file format, as
 * Unbound's {@code trust-anchor-file} and {@code auto-trust-anchor-file} hold them (Debian's {@code
 * /usr/share/dns/root.key}), read and checked once, then given to each validating resolver (RFC
 * 4035 §4.4).
 */
public final class TrustAnchors {
  private final byte[] text;
  private final int count;

  private TrustAnchors(byte[] text, int count) {
    this.text = text;
    this.count = count;
  }

  /**
   * Reads {@code file}.
   *
   * @throws IOException naming the file when it is unreadable, is not zone-file text, or holds no
   *     DS or DNSKEY record
   */
  public static TrustAnchors load(Path file) throws IOException {
    byte[] text;
    try {
      text = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException(file + ": cannot read it: " + e.getMessage(), e);
    }
    int anchors = 0;
    try (Master master = new Master(new ByteArrayInputStream(text), Name.root, 0)) {
      for (Record r = master.nextRecord(); r != null; r = master.nextRecord()) {
        if (r.getType() == Type.DS || r.getType() == Type.DNSKEY) {
          anchors++;
        }
      }
    } catch (IOException e) {
      throw new IOException(file + ": not a zone file of DS or DNSKEY records: " + e.getMessage());
    }
    if (anchors == 0) {
      throw new IOException(file + ": no DS or DNSKEY record in it");
    }
    return new TrustAnchors(text, anchors);
  }

  /** How many DS and DNSKEY records the file holds. */
  public int count() {
    return count;
  }

  /** A resolver that validates what {@code head} answers against these anchors. */
  ValidatingResolver validating(Resolver head) {
    ValidatingResolver v = new ValidatingResolver(head);
    try {
      v.loadTrustAnchors(new ByteArrayInputStream(text));
    } catch (IOException e) {
      // load() parsed the same bytes
      throw new IllegalStateException("trust anchors parsed once but not twice", e);
    }
    return v;
  }
}
