package io.inkan.dkim;

import static io.inkan.dkim.FuzzFailures.stack;

import io.inkan.dkim.FuzzMutations.Mutation;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Runs the signer and the verifier for {@link DkimFuzzTest}, on whole messages or in random chunks,
 * and records in {@link FuzzFailures} whatever throws, depends on the chunking or does not get the
 * outcome the oracle expects.
 */
final class FuzzEngine {
  /** The clock of signer and verifier, in seconds since the epoch. */
  static final long NOW = 1_700_000_000L;

  private final DkimVerifier verifier;
  private final FuzzFailures failures;

  FuzzEngine(DkimVerifier verifier, FuzzFailures failures) {
    this.verifier = verifier;
    this.failures = failures;
  }

  static SignResult sign(SignerSettings settings, byte[] message, Random chunks) {
    DkimSigner signer = new DkimSigner(settings);
    SigningSession session = signer.newSession(NOW - 60);
    feed(new MessageParser(session), message, chunks);
    return signer.finish(session);
  }

  private List<VerificationResult> verify(byte[] message, Random chunks) {
    VerificationSession session = verifier.newSession();
    feed(new MessageParser(session), message, chunks);
    return session.finish(Runnable::run).toCompletableFuture().join();
  }

  /** Whole, or in random chunks from arrays at an offset padded with LF. */
  private static void feed(MessageParser parser, byte[] message, Random chunks) {
    if (chunks == null) {
      parser.update(message, 0, message.length);
    } else {
      int max = new int[] {1, 2, 7, 100, 5000}[chunks.nextInt(5)];
      for (int i = 0; i < message.length; ) {
        int n = Math.min(message.length - i, 1 + chunks.nextInt(max));
        byte[] buf = new byte[n + 6];
        Arrays.fill(buf, (byte) '\n');
        System.arraycopy(message, i, buf, 3, n);
        parser.update(buf, 3, n);
        i += n;
      }
    }
    parser.finish();
  }

  /** Verifies whole and chunked; null (after recording why) when it threw or they differ. */
  List<VerificationResult> verifyAnyChunking(FuzzCase s, Mutation m, Random r) {
    try {
      List<VerificationResult> whole = verify(m.bytes(), null);
      List<VerificationResult> chunked = verify(m.bytes(), r);
      if (!whole.equals(chunked)) {
        failures.add(s, m, "chunking changes the results: " + whole + " vs " + chunked);
        return null;
      }
      return whole;
    } catch (RuntimeException | Error e) {
      failures.add(s, m, "threw " + stack(e));
      return null;
    }
  }

  /** Records a failure unless the mutated message gets one pass ({@code pass}) or none. */
  void expect(FuzzCase s, Mutation m, boolean pass, Random r) {
    List<VerificationResult> results = verifyAnyChunking(s, m, r);
    if (results == null) {
      return;
    }
    boolean passed = results.size() == 1 && results.get(0).passed();
    boolean anyPass = results.stream().anyMatch(VerificationResult::passed);
    if (pass && !passed) {
      failures.add(s, m, "expected one pass, got " + results);
    } else if (!pass && anyPass) {
      failures.add(s, m, "a covered edit still passes: " + results);
    }
  }

  /** How many DKIM-Signature fields the message parser finds in the message. */
  static int signatureFields(byte[] message) {
    int[] count = {0};
    MessageParser p =
        new MessageParser(
            new MessageSink() {
              @Override
              public void header(HeaderField field) {
                if (field.is(DkimSignature.FIELD_NAME)) {
                  count[0]++;
                }
              }

              @Override
              public void endOfHeaders() {}

              @Override
              public void body(byte[] b, int off, int len) {}
            });
    p.update(message, 0, message.length);
    p.finish();
    return count[0];
  }
}
