package io.inkan.runtime.cluster;

import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.crypto.DkimCrypto;
import io.inkan.dkim.crypto.RemoteKey;
import io.inkan.policy.SignatureService;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A front-end's private-key operations, done by signer nodes: the 32-byte SHA-256 digest of the
 * header block goes out where the signer's provider signs digests (Ed25519 always, RSA when its
 * provider has raw PKCS#1), else the canonical header block; the signature comes back.
 */
final class ClusterSignatures implements SignatureService {
  private final SignerRequests requests;

  ClusterSignatures(SignerRequests requests) {
    this.requests = requests;
  }

  @Override
  public CompletionStage<byte[]> sign(SignerSettings settings, byte[] headerBlock) {
    if (!(settings.key() instanceof RemoteKey key)) {
      return SignatureService.LOCAL.sign(settings, headerBlock);
    }
    byte[] data;
    try {
      data = key.signsDigest() ? DkimCrypto.digest(headerBlock) : headerBlock;
    } catch (GeneralSecurityException e) {
      return CompletableFuture.failedFuture(e);
    }
    return requests
        .request(
            SignerProtocol.SIGN,
            SignerProtocol.sign(key, settings.algorithm(), key.signsDigest(), data))
        .map(SignerProtocol::signatureOf)
        .toCompletionStage();
  }
}
