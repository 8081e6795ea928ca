package io.inkan.dkim.crypto;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSAPrivateKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Reads private keys in the forms DKIM tools write: PKCS#1 {@code RSA PRIVATE KEY} PEM
 * (opendkim-genkey), PKCS#8 {@code PRIVATE KEY} PEM (RSA or Ed25519), base64 DER of either, and a
 * bare base64 32-byte Ed25519 seed (dkimpy, RFC 8463 Appendix A.1).
 */
public final class PrivateKeyReader {
  private PrivateKeyReader() {}

  /**
   * Parses key text.
   *
   * @throws GeneralSecurityException with a reason when the text is no key this reader knows
   */
  public static SigningKey read(String text) throws GeneralSecurityException {
    String trimmed = text.strip();
    PrivateKeyInfo info = trimmed.startsWith("-----BEGIN") ? fromPem(trimmed) : fromBase64(trimmed);
    return toSigningKey(info);
  }

  private static PrivateKeyInfo fromPem(String pem) throws GeneralSecurityException {
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object o = parser.readObject();
      if (o instanceof PEMKeyPair pair) {
        return pair.getPrivateKeyInfo();
      }
      if (o instanceof PrivateKeyInfo info) {
        return info;
      }
      throw new GeneralSecurityException(
          "unsupported PEM object " + (o == null ? "(none)" : describe(pem)));
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("malformed PEM key: " + e.getMessage(), e);
    }
  }

  private static String describe(String pem) {
    try (PemReader r = new PemReader(new StringReader(pem))) {
      PemObject o = r.readPemObject();
      return o == null ? "(none)" : o.getType();
    } catch (IOException e) {
      return "(unreadable)";
    }
  }

  private static PrivateKeyInfo fromBase64(String text) throws GeneralSecurityException {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("key is neither PEM nor base64");
    }
    if (der.length == 32) {
      return seedInfo(der);
    }
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
      if (seq.size() >= 9) {
        RSAPrivateKey rsa = RSAPrivateKey.getInstance(seq);
        return new PrivateKeyInfo(
            new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE), rsa);
      }
      return PrivateKeyInfo.getInstance(seq);
    } catch (IOException | IllegalArgumentException e) {
      throw new GeneralSecurityException("base64 key is not DER: " + e.getMessage(), e);
    }
  }

  private static PrivateKeyInfo seedInfo(byte[] seed) throws GeneralSecurityException {
    try {
      return PrivateKeyInfoFactory.createPrivateKeyInfo(new Ed25519PrivateKeyParameters(seed, 0));
    } catch (IOException e) {
      throw new GeneralSecurityException("bad Ed25519 seed", e);
    }
  }

  private static SigningKey toSigningKey(PrivateKeyInfo info) throws GeneralSecurityException {
    var oid = info.getPrivateKeyAlgorithm().getAlgorithm();
    KeyType type;
    if (oid.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      type = KeyType.RSA;
    } else if (oid.equals(EdECObjectIdentifiers.id_Ed25519)) {
      type = KeyType.ED25519;
    } else {
      throw new GeneralSecurityException("unsupported key algorithm " + oid);
    }
    try {
      byte[] pkcs8 = info.getEncoded();
      PrivateKey key =
          KeyFactory.getInstance(
                  CryptoProviders.keyAlgorithm(type), CryptoProviders.get().keyProvider(type))
              .generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      if (type == KeyType.RSA) {
        RSAPrivateKey rsa = RSAPrivateKey.getInstance(info.parsePrivateKey());
        SubjectPublicKeyInfo spki =
            new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                new org.bouncycastle.asn1.pkcs.RSAPublicKey(
                    rsa.getModulus(), rsa.getPublicExponent()));
        return new SigningKey(type, key, spki.getEncoded(), rsa.getModulus().bitLength());
      }
      Ed25519PrivateKeyParameters ed =
          (Ed25519PrivateKeyParameters)
              org.bouncycastle.crypto.util.PrivateKeyFactory.createKey(info);
      return new SigningKey(type, key, ed.generatePublicKey().getEncoded(), 256);
    } catch (IOException | IllegalArgumentException | ClassCastException e) {
      throw new GeneralSecurityException("malformed " + type + " key: " + e.getMessage(), e);
    }
  }
}
