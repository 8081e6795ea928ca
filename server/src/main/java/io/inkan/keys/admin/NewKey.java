package io.inkan.keys.admin;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.keys.DkimKeyGenerator;
import io.inkan.keys.DkimTxtRecord;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A key for a key entry: the private key as {@code DKIMKey} holds it and its DNS key record.
 *
 * <p>{@code DKIMKey} gets the base64 DER of the PEM that {@code inkan genkey} writes (PKCS#1 for
 * RSA, PKCS#8 for Ed25519), on one line without the PEM armour: the form OpenDKIM's LDAP examples
 * and {@code ldap-schema/sample-entries.ldif} use, which every reader of the attribute accepts and
 * a data set can join with other attributes.
 *
 * @param type the key type
 * @param privateKeyBase64 the {@code DKIMKey} value
 * @param record the key record to publish ({@code h=sha256}, as genkey's default)
 */
public record NewKey(KeyType type, String privateKeyBase64, DkimTxtRecord record) {

  /** Never shows the private key. */
  @Override
  public String toString() {
    return "NewKey[" + type + ", " + record.text() + "]";
  }

  /** The {@code inkanDkimAlgorithm} value. */
  public String algorithm() {
    return (type == KeyType.ED25519 ? DkimAlgorithm.ED25519_SHA256 : DkimAlgorithm.RSA_SHA256)
        .tagValue();
  }

  /**
   * A new key, made as {@code inkan genkey} makes it.
   *
   * @throws GeneralSecurityException when the JCA provider cannot make the key
   */
  public static NewKey generate(KeyType type, int bits) throws GeneralSecurityException {
    DkimKeyGenerator.Generated g = DkimKeyGenerator.generate(type, bits);
    String der =
        g.privateKeyPem()
            .lines()
            .filter(l -> !l.startsWith("-----"))
            .map(String::strip)
            .collect(Collectors.joining());
    return new NewKey(type, der, record(g.key()));
  }

  /**
   * The key already in an entry (a rotation resumed after its record was published by hand).
   *
   * @throws GeneralSecurityException when the text is no key
   */
  public static NewKey existing(String dkimKey) throws GeneralSecurityException {
    SigningKey key = PrivateKeyReader.read(dkimKey);
    return new NewKey(key.type(), dkimKey, record(key));
  }

  private static DkimTxtRecord record(SigningKey key) {
    return new DkimTxtRecord(
        key.type(),
        key.publicKeyBase64(),
        Optional.of("sha256"),
        Optional.empty(),
        false,
        false,
        false);
  }
}
