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

  /** The end-of-headers decision while remote lookups run; null once applied or when none ran. */
  java.util.concurrent.CompletableFuture<MessagePlanner.Plan> plan;

  /** Body chunks that arrived before {@link #plan} was done, in order. */
  private final List<byte[]> held = new ArrayList<>();

  /** ResignMailTo matched: verify, then sign too when a signature passed (or ResignAll). */
  boolean resign;

  Fixed fixed;

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
    resign = false;
  }

  /** Hands the kept header fields to a new session and ends them there. */
  void replayHeaders(MessageSink sink) {
    headers.forEach(sink::header);
    sink.endOfHeaders();
  }

  /** Keeps a copy of a body chunk until the plan is applied. */
  void hold(byte[] chunk) {
    held.add(chunk.clone());
  }

  /** Applies the finished plan, then hands it the held body chunks (dropped if it decided). */
  void applyPlan() {
    MessagePlanner.Plan p = plan.join();
    plan = null;
    p.applyTo(this);
    if (fixed == null) {
      held.forEach(this::body);
    }
    held.clear();
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
