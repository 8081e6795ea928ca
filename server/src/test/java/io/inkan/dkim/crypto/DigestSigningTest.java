package io.inkan.dkim.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dkim.DkimAlgorithm;
import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.keys.DkimKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

/** Signing the digest of a header block gives the very signature signing the block gives. */
class DigestSigningTest {
  private static final byte[] BLOCK =
      "from:Joe <joe@example.com>\r\ndkim-signature:v=1; a=...; b="
          .getBytes(StandardCharsets.US_ASCII);

  @Test
  void rsaDigestSignatureEqualsBlockSignature() throws Exception {
    SigningKey k = DkimKeyGenerator.generate(KeyType.RSA, 2048).key();
    byte[] viaBlock = DkimCrypto.sign(DkimAlgorithm.RSA_SHA256, k.privateKey(), BLOCK);
    byte[] viaDigest =
        DkimCrypto.signDigest(DkimAlgorithm.RSA_SHA256, k.privateKey(), DkimCrypto.digest(BLOCK));
    assertThat(viaDigest).isEqualTo(viaBlock); // PKCS#1 v1.5 is deterministic
  }

  @Test
  void ed25519DigestSignatureEqualsBlockSignature() throws Exception {
    SigningKey k = DkimKeyGenerator.generate(KeyType.ED25519, 0).key();
    byte[] viaBlock = DkimCrypto.sign(DkimAlgorithm.ED25519_SHA256, k.privateKey(), BLOCK);
    byte[] viaDigest =
        DkimCrypto.signDigest(
            DkimAlgorithm.ED25519_SHA256, k.privateKey(), DkimCrypto.digest(BLOCK));
    assertThat(viaDigest).isEqualTo(viaBlock);
    assertThat(DkimCrypto.signsDigest(KeyType.ED25519)).isTrue();
  }

  @Test
  void onlyA32ByteDigestIsSigned() throws Exception {
    SigningKey k = DkimKeyGenerator.generate(KeyType.ED25519, 0).key();
    assertThatThrownBy(
            () -> DkimCrypto.signDigest(DkimAlgorithm.ED25519_SHA256, k.privateKey(), BLOCK))
        .isInstanceOf(GeneralSecurityException.class);
  }
}
