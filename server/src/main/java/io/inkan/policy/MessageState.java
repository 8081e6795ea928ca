package io.inkan.policy;

import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.HeaderField;
import io.inkan.dkim.MessageSink;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.VerificationSession;
import io.inkan.milter.MilterReply;
import java.util.ArrayList;
import java.util.List;

/**
 * One message's state, kept in the milter context: the header fields (small, kept whole), then
 * after the end of headers either signing sessions, a verification session, or a verdict already
 * decided. The body only ever passes through the sessions' hashers.
 */
final class MessageState {
  final List<HeaderField> headers = new ArrayList<>();
  final List<Signing> signing = new ArrayList<>();
  VerificationSession verifying;
  Fixed fixed;
  String from = "";

  /** Envelope recipients without angle brackets, kept only when DontSignMailTo needs them. */
  final List<String> recipients = new ArrayList<>();

  /** Header bytes as OpenDKIM counts them: name, value and two per field. */
  long headerBytes;

  /** A signature in progress. */
  record Signing(DkimSigner signer, SigningSession session) {}

  /**
   * A verdict decided at the end of headers.
   *
   * @param mode for metrics: sign, verify or pass
   * @param result for metrics and the log
   */
  record Fixed(List<MilterReply> replies, String mode, String result) {}

  void decide(List<MilterReply> replies, String mode, String result) {
    fixed = new Fixed(List.copyOf(replies), mode, result);
    headers.clear();
    signing.clear();
    verifying = null;
  }

  /** Hands the kept header fields to a new session and ends them there. */
  void replayHeaders(MessageSink sink) {
    headers.forEach(sink::header);
    sink.endOfHeaders();
  }

  void body(byte[] chunk) {
    for (Signing s : signing) {
      s.session().body(chunk, 0, chunk.length);
    }
    if (verifying != null) {
      verifying.body(chunk, 0, chunk.length);
    }
  }
}
