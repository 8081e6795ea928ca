package io.inkan.interop;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.SignResult;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Signs and verifies with the Inkan engine, key records coming from a map instead of DNS. */
final class InkanDkim {
  /** Odd, milter-like chunks, so that CR and LF fall on both sides of chunk boundaries. */
  private static final int CHUNK = 8191;

  private final Map<String, String> keyRecords;

  /** {@code keyRecords} maps lower-case {@code selector._domainkey.domain} names to records. */
  InkanDkim(Map<String, String> keyRecords) {
    this.keyRecords = Map.copyOf(keyRecords);
  }

  /** Signs with Inkan and puts the field on top, in the message's own line ends. */
  byte[] sign(SignerSettings settings, byte[] message) {
    DkimSigner signer = new DkimSigner(settings);
    SigningSession session = signer.newSession(Instant.now().getEpochSecond());
    feed(new MessageParser(session), message);
    SignResult result = signer.finish(session);
    assertThat(result).isInstanceOf(SignResult.Signed.class);
    String field = ((SignResult.Signed) result).field().raw() + "\r\n";
    if (!InteropMessages.usesCrlf(message)) {
      field = field.replace("\r\n", "\n");
    }
    return InteropMessages.concat(field.getBytes(ISO_8859_1), message);
  }

  List<VerificationResult> verify(byte[] message) {
    DkimVerifier verifier =
        new DkimVerifier(
            VerifierSettings.defaults(),
            name -> {
              String record = keyRecords.get(name.toLowerCase(Locale.ROOT));
              return CompletableFuture.completedFuture(
                  record == null
                      ? new KeyLookupResult.NxDomain()
                      : KeyLookupResult.Found.of(record));
            });
    VerificationSession session = verifier.newSession();
    feed(new MessageParser(session), message);
    return session.finish(Runnable::run).toCompletableFuture().join();
  }

  private static void feed(MessageParser parser, byte[] message) {
    for (int off = 0; off < message.length; off += CHUNK) {
      parser.update(message, off, Math.min(CHUNK, message.length - off));
    }
    parser.finish();
  }
}
