package io.inkan.keys.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import io.inkan.dkim.DkimAlgorithm;
import io.inkan.keys.DomainKeySource.KeyOptions;
import io.inkan.keys.KeyFiles;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.keys.ldap.KeyEntryParser.Inactive;
import io.inkan.keys.ldap.KeyEntryParser.Parsed;
import io.inkan.keys.ldap.KeyEntryParser.Unusable;
import io.inkan.keys.ldap.KeyEntryParser.Usable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyEntryParserTest {
  private static final String DN_TEXT = KeyLdif.keyDn("example.com", "s1");

  private final ParsedKeys keys = new ParsedKeys(new PrivateKeyFiles(true), 10);
  private final KeyEntryParser parser = new KeyEntryParser(keys);

  private Parsed parse(String key, String... more) throws Exception {
    Entry e = new Entry(KeyLdif.key("example.com", "s1", key, more).split("\n"));
    return parser.parse(e, new DN(DN_TEXT), "example.com");
  }

  private KeyEntry usable(String key, String... more) throws Exception {
    Parsed p = parse(key, more);
    assertThat(p).isInstanceOf(Usable.class);
    return ((Usable) p).entry();
  }

  private String unusable(String key, String... more) throws Exception {
    Parsed p = parse(key, more);
    assertThat(p).isInstanceOf(Unusable.class);
    String reason = ((Unusable) p).reason();
    assertThat(reason).doesNotContain(key.strip().substring(40, 60));
    return reason;
  }

  @Test
  void aBareEntrySignsWithItsKeysAlgorithmForTheDomainSearched() throws Exception {
    KeyEntry rsa = usable(KeyLdif.RSA.privateKeyPem());
    assertThat(rsa.key().key().domain()).isEqualTo("example.com");
    assertThat(rsa.key().key().selector()).isEqualTo("s1");
    assertThat(rsa.key().key().algorithm()).isEqualTo(DkimAlgorithm.RSA_SHA256);
    assertThat(rsa.key().key().keyName()).isEqualTo(new DN(DN_TEXT).toString());
    assertThat(rsa.key().source()).isEqualTo(new DN(DN_TEXT).toString());
    assertThat(rsa.key().identity()).isEmpty();
    assertThat(rsa.key().options()).isEqualTo(KeyOptions.DEFAULTS);
    assertThat(rsa.notBefore()).isEmpty();
    assertThat(rsa.notAfter()).isEmpty();
    KeyEntry ed = usable(KeyLdif.ED25519.privateKeyPem(), "inkanDkimAlgorithm: ED25519-SHA256");
    assertThat(ed.key().key().algorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
  }

  @Test
  void everyOptionIsRead() throws Exception {
    KeyEntry e =
        usable(
            KeyLdif.RSA.privateKeyPem(),
            "DKIMDomain: Example.NET",
            "DKIMIdentity: @mail.example.net",
            "inkanDkimActive: TRUE",
            "inkanDkimAlgorithm: rsa-sha256",
            "inkanDkimCanonicalization: Relaxed/Simple",
            "inkanDkimSignedHeaders: From, To,subject,,from",
            "inkanDkimOversignedHeaders: From",
            "inkanDkimSignatureTtl: 3600",
            "inkanDkimNotBefore: 20260101000000Z",
            "inkanDkimNotAfter: 20270101000000.5Z");
    assertThat(e.key().key().domain()).isEqualTo("example.net");
    assertThat(e.key().identity()).hasValue("@mail.example.net");
    assertThat(e.key().options())
        .isEqualTo(
            new KeyOptions(
                Optional.of("relaxed/simple"),
                Optional.of(List.of("from", "to", "subject")),
                Optional.of(List.of("from")),
                OptionalLong.of(3600)));
    assertThat(e.notBefore()).hasValue(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(e.notAfter()).hasValue(Instant.parse("2027-01-01T00:00:00.500Z"));
    assertThat(e.signsAt(Instant.parse("2025-12-31T23:59:59Z"))).isFalse();
    assertThat(e.signsAt(Instant.parse("2026-01-01T00:00:00Z"))).isTrue();
    assertThat(e.signsAt(Instant.parse("2027-01-01T00:00:00.499Z"))).isTrue();
    assertThat(e.signsAt(Instant.parse("2027-01-01T00:00:00.500Z"))).isFalse();
    assertThat(
            usable(KeyLdif.RSA.privateKeyPem(), "inkanDkimCanonicalization: relaxed")
                .key()
                .options()
                .canonicalization())
        .hasValue("relaxed/simple");
  }

  @Test
  void anInactiveEntryIsNotParsedAtAll() throws Exception {
    assertThat(parse("not a key", "inkanDkimActive: FALSE")).isInstanceOf(Inactive.class);
  }

  @Test
  void anAlgorithmThatDoesNotFitTheKeyMakesTheEntryUnusable() throws Exception {
    assertThat(unusable(KeyLdif.RSA.privateKeyPem(), "inkanDkimAlgorithm: ed25519-sha256"))
        .contains("does not fit its RSA key");
    assertThat(unusable(KeyLdif.ED25519.privateKeyPem(), "inkanDkimAlgorithm: rsa-sha256"))
        .contains("does not fit its ED25519 key");
    assertThat(unusable(KeyLdif.RSA.privateKeyPem(), "inkanDkimAlgorithm: rsa-sha1"))
        .contains("is not rsa-sha256 or ed25519-sha256");
  }

  @Test
  void badValuesMakeTheEntryUnusableWithAReason() throws Exception {
    String pem = KeyLdif.RSA.privateKeyPem();
    assertThat(unusable(pem, "inkanDkimActive: maybe")).contains("inkanDkimActive");
    assertThat(unusable(pem, "inkanDkimCanonicalization: loose/simple"))
        .contains("inkanDkimCanonicalization");
    assertThat(unusable(pem, "inkanDkimSignedHeaders: To, Subject")).contains("From");
    assertThat(unusable(pem, "inkanDkimOversignedHeaders: From:To")).contains("header field");
    assertThat(unusable(pem, "inkanDkimSignatureTtl: -5")).contains("inkanDkimSignatureTtl");
    assertThat(unusable(pem, "inkanDkimNotAfter: tomorrow")).contains("GeneralizedTime");
    assertThat(unusable(pem, "DKIMDomain: example.com;x=y")).contains("not a domain name");
    assertThat(unusable(pem, "DKIMIdentity: @example.org")).contains("RFC 6376 §3.5");
    assertThat(unusable(pem, "DKIMIdentity: example.com")).contains("RFC 6376 §3.5");
    assertThat(unusable(pem, "DKIMIdentity: a@notexample.com")).contains("RFC 6376 §3.5");
    assertThat(usable(pem, "DKIMIdentity: user@mail.Example.com").key().identity())
        .hasValue("user@mail.Example.com");
    Entry noSelector = new Entry("dn: " + DN_TEXT, "objectClass: DKIM", "DKIMKey: x");
    assertThat(parser.parse(noSelector, new DN(DN_TEXT), "example.com"))
        .isEqualTo(new Unusable("no DKIMSelector"));
    Entry badSelector =
        new Entry("dn: " + DN_TEXT, "objectClass: DKIM", "DKIMSelector: a b", "DKIMKey: x");
    assertThat(((Unusable) parser.parse(badSelector, new DN(DN_TEXT), "example.com")).reason())
        .contains("not a selector");
    Entry noKey = new Entry("dn: " + DN_TEXT, "objectClass: DKIM", "DKIMSelector: s1");
    assertThat(parser.parse(noKey, new DN(DN_TEXT), "example.com"))
        .isEqualTo(new Unusable("no DKIMKey"));
  }

  @Test
  void anUnparseableKeyIsUnusableAndItsTextNeverQuoted() throws Exception {
    String pem = KeyLdif.RSA.privateKeyPem();
    String broken = pem.substring(0, 200) + "!!!" + pem.substring(203);
    assertThat(unusable(broken)).contains(new DN(DN_TEXT).toString());
    String garbage = "bm90IGEga2V5IGF0IGFsbCwganVzdCBzb21lIGJ5dGVzIHRoYXQgYXJlIG5vdCBhIGtleQ==";
    assertThat(unusable(garbage)).contains("not usable");
  }

  @Test
  void inlineKeysAreParsedOnce() throws Exception {
    KeyEntry a = usable(KeyLdif.RSA.privateKeyPem());
    KeyEntry b = usable(KeyLdif.RSA.privateKeyPem() + "\n");
    assertThat(b.key().key().key()).isSameAs(a.key().key().key());
    assertThat(keys.size()).isEqualTo(1);
  }

  @Test
  void aKeyFileIsReadThroughPrivateKeyFiles(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("s1.private");
    KeyFiles.createPrivate(file, KeyLdif.ED25519.privateKeyPem());
    KeyEntry e = usable(file.toString());
    assertThat(e.key().key().algorithm()).isEqualTo(DkimAlgorithm.ED25519_SHA256);
    Path open = dir.resolve("open.private");
    Files.writeString(open, KeyLdif.ED25519.privateKeyPem());
    Files.setPosixFilePermissions(
        open, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(((Unusable) parse(open.toString())).reason()).contains("RequireSafeKeys");
    assertThat(((Unusable) parse(dir.resolve("missing").toString())).reason())
        .contains("cannot read key file");
  }
}
