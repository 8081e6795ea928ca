package io.inkan.policy;

import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.crypto.DkimCrypto;
import io.inkan.dkim.crypto.SigningKey;
import java.security.GeneralSecurityException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where the private-key operation of a signature runs (RFC 6376 §3.7): in this process, or on a
 * signer node that holds the key.
 */
@FunctionalInterface
public interface SignatureService {

  /**
   * The signature ({@code b=} before base64) over a canonical header block.
   *
   * @return a stage failed when the key cannot sign now (no signer answered, a provider error)
   */
  CompletionStage<byte[]> sign(SignerSettings settings, byte[] headerBlock);

  /** Signs in this process, on the calling thread, with keys this process holds. */
  SignatureService LOCAL =
      (settings, block) -> {
        if (!(settings.key() instanceof SigningKey key)) {
          return CompletableFuture.failedFuture(
              new IllegalStateException("key " + settings.key() + " is not held here"));
        }
        try {
          return CompletableFuture.completedFuture(
              DkimCrypto.sign(settings.algorithm(), key.privateKey(), block));
        } catch (GeneralSecurityException e) {
          return CompletableFuture.failedFuture(e);
        }
      };
}
