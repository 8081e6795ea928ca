package io.inkan.dkim;

import io.inkan.dkim.crypto.DkimCrypto;
import io.inkan.dkim.crypto.SigningKey;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * Signs messages with one {@link SignerSettings} (RFC 6376 §5). Thread-safe; each message gets its
 * own {@link SigningSession}.
 */
public final class DkimSigner {
  private final SignerSettings settings;

  public DkimSigner(SignerSettings settings) {
    this.settings = settings;
  }

  public SignerSettings settings() {
    return settings;
  }

  /**
   * Starts a message.
   *
   * @param now the signing time, seconds since the epoch, for {@code t=}
   */
  public SigningSession newSession(long now) {
    return new SigningSession(settings, now);
  }

  /**
   * Finishes a session with the key in this process.
   *
   * @throws IllegalStateException when the key is on another node (finish with {@link
   *     SigningSession#prepare} and that node's signature), or when the JCA provider fails, which
   *     is a bug or a broken installation, not a property of the message
   */
  public SignResult finish(SigningSession session) {
    SigningSession.Prepared prepared = session.prepare();
    if (prepared.refusal() != null) {
      return new SignResult.Refused(prepared.refusal());
    }
    if (!(settings.key() instanceof SigningKey key)) {
      throw new IllegalStateException("the key " + settings.key() + " signs on another node");
    }
    try {
      byte[] b = DkimCrypto.sign(settings.algorithm(), key.privateKey(), prepared.headerBlock());
      return new SignResult.Signed(prepared.complete(Base64.getEncoder().encodeToString(b)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing failed: " + e.getMessage(), e);
    }
  }
}
