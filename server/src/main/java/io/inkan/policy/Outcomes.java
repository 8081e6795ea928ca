package io.inkan.policy;

import io.inkan.config.MilterAction;
import io.inkan.config.OnActions;
import io.inkan.dkim.AuthenticationResults;
import io.inkan.dkim.DkimResult;
import io.inkan.dkim.HeaderField;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.VerificationResult;
import io.inkan.milter.MilterReply;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-of-message work, run on the crypto executor with values copied from the milter context: the
 * signatures to insert, or the verification verdict and its Authentication-Results field.
 */
final class Outcomes {
  private static final Logger LOG = LoggerFactory.getLogger(DkimMilterHandler.class);
  static final String AR = "Authentication-Results";
  static final String DKIM_SIGNATURE = "DKIM-Signature";
  static final String DKIM_FILTER = "DKIM-Filter";
  static final String PRODUCT = "Inkan";

  /** The version from the jar manifest; {@code dev} when run from classes. */
  static final String VERSION =
      java.util.Objects.requireNonNullElse(
          DkimMilterHandler.class.getPackage().getImplementationVersion(), "dev");

  private final DkimPolicy policy;
  private final String queueId;
  private final boolean leadingSpace;
  private final boolean quarantineAllowed;
  private final long started = System.nanoTime();

  Outcomes(DkimPolicy policy, String queueId, boolean leadingSpace, boolean quarantineAllowed) {
    this.policy = policy;
    this.queueId = queueId;
    this.leadingSpace = leadingSpace;
    this.quarantineAllowed = quarantineAllowed;
  }

  /** Finishes every signature: one InsertHeader each on top, then continue. */
  CompletionStage<List<MilterReply>> sign(MessageState m) {
    return signed(m, new ArrayList<>(), "signed");
  }

  /** Adds the signatures to {@code mods}, then proceeds (counted as {@code result}). */
  private CompletionStage<List<MilterReply>> signed(
      MessageState m, List<MilterReply> mods, String result) {
    return signatures(m, mods)
        .thenApply(
            signed -> {
              if (!signed) {
                return count(
                    "sign", "signatureerror", action(policy.actions().signatureError(), List.of()));
              }
              softwareHeader(mods);
              return count("sign", result, Verdicts.proceed(mods));
            });
  }

  /**
   * Adds the removals of old signatures (RemoveOldSignatures) and one DKIM-Signature field per key
   * to {@code mods}, in key order, once every private-key operation is done (here, or on signer
   * nodes); false when a key refused to sign, a failed stage when a signature cannot be made now.
   */
  private CompletionStage<Boolean> signatures(MessageState m, List<MilterReply> mods) {
    if (policy.removeOldSignatures()) {
      mods.addAll(deletions(m.headers, DKIM_SIGNATURE, h -> true));
    }
    List<CompletableFuture<HeaderField>> fields = new ArrayList<>();
    for (MessageState.Signing s : m.signing) {
      long t0 = System.nanoTime();
      SigningSession.Prepared prepared = s.session().prepare();
      if (prepared.refusal() != null) {
        LOG.warn("{}: cannot sign: {}", queueId, prepared.refusal());
        return CompletableFuture.completedFuture(false);
      }
      SignerSettings settings = s.signer().settings();
      fields.add(
          policy
              .signatures()
              .sign(settings, prepared.headerBlock())
              .thenApply(
                  b -> {
                    policy.metrics().signed(settings.domain(), System.nanoTime() - t0);
                    return prepared.complete(Base64.getEncoder().encodeToString(b));
                  })
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(fields.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              for (int i = 0; i < fields.size(); i++) {
                SignerSettings settings = m.signing.get(i).signer().settings();
                HeaderField field = fields.get(i).join();
                mods.add(
                    new MilterReply.InsertHeader(0, DKIM_SIGNATURE, milterValue(field.value())));
                if (policy.log().syslogSuccess()) {
                  LOG.info(
                      "{}: DKIM-Signature field added (s={}, d={})",
                      queueId,
                      settings.selector(),
                      settings.domain());
                }
              }
              return true;
            });
  }

  /**
   * ResignMailTo: the verification verdict and Authentication-Results, plus new signatures when a
   * signature passed or ResignAll is set (OpenDKIM's {@code mlfi_eom}).
   */
  CompletionStage<List<MilterReply>> resigned(MessageState m, List<VerificationResult> results) {
    boolean passed = results.stream().anyMatch(VerificationResult::passed);
    if (!passed && !policy.resignAll()) {
      return CompletableFuture.completedFuture(verified(m, results));
    }
    timeVerification(results);
    logResults(results);
    String authservId = policy.authservId();
    List<MilterReply> mods =
        new ArrayList<>(deletions(m.headers, AR, h -> claims(h.value(), authservId)));
    if (!results.isEmpty() || policy.alwaysAddArHeader()) {
      mods.add(arHeader(results));
    }
    return signed(m, mods, "resigned");
  }

  /**
   * The verdict for verification results (RFC 6376 §6.1): any pass delivers; otherwise a temporary
   * error wins (On-DNSError, so the MTA retries), then a failed signature (On-BadSignature), then a
   * missing key record (On-KeyNotFound). No signature at all is On-NoSignature, with {@code
   * dkim=none} only under AlwaysAddARHeader, as OpenDKIM.
   */
  List<MilterReply> verified(MessageState m, List<VerificationResult> results) {
    timeVerification(results);
    String authservId = policy.authservId();
    List<MilterReply> mods =
        new ArrayList<>(deletions(m.headers, AR, h -> claims(h.value(), authservId)));
    OnActions on = policy.actions();
    if (results.isEmpty()) {
      if (policy.log().logWhy() || on.noSignature() != MilterAction.ACCEPT) {
        LOG.info("{}: no signature data", queueId);
      }
      if (policy.alwaysAddArHeader()) {
        mods.add(arHeader(results));
      }
      softwareHeader(mods);
      return count("verify", "none", action(on.noSignature(), mods));
    }
    logResults(results);
    mods.add(arHeader(results));
    softwareHeader(mods);
    if (results.stream().anyMatch(VerificationResult::passed)) {
      if (policy.log().syslogSuccess()) {
        LOG.info("{}: DKIM verification successful", queueId);
      }
      return count("verify", "pass", Verdicts.proceed(mods));
    }
    if (any(results, DkimResult.TEMPERROR)) {
      keyRetrievalFailed(first(results, r -> r.result() == DkimResult.TEMPERROR));
      return count("verify", "temperror", action(on.dnsError(), mods));
    }
    if (any(results, DkimResult.FAIL) || any(results, DkimResult.POLICY)) {
      LOG.info("{}: bad signature data", queueId);
      return count("verify", "fail", action(on.badSignature(), mods));
    }
    if (results.stream().anyMatch(VerificationResult::keyNotFound)) {
      keyRetrievalFailed(first(results, VerificationResult::keyNotFound));
      return count("verify", "keynotfound", action(on.keyNotFound(), mods));
    }
    if (any(results, DkimResult.PERMERROR)) {
      LOG.info("{}: bad signature data", queueId);
      return count("verify", "permerror", action(on.badSignature(), mods));
    }
    return count("verify", "neutral", Verdicts.proceed(mods));
  }

  /**
   * LogResults (opendkim.conf(5)): one line with every signature's result, as OpenDKIM writes it:
   * {@code signature=B domain=D selector=S result="REASON"}, joined with "; "; a key record that
   * DNSSEC validated ({@code TrustAnchorFile}) adds {@code dnssec=secure}, OpenDKIM's word.
   */
  private void logResults(List<VerificationResult> results) {
    if (!policy.log().logResults() || results.isEmpty()) {
      return;
    }
    LOG.info(
        "{}: {}",
        queueId,
        results.stream()
            .map(
                r ->
                    "signature="
                        + r.b()
                        + " domain="
                        + r.domain()
                        + " selector="
                        + r.selector()
                        + " result=\""
                        + (r.passed() ? "no signature error" : r.reason())
                        + "\""
                        + (r.dnssecSecure() ? " dnssec=secure" : ""))
            .collect(Collectors.joining("; ")));
  }

  private void timeVerification(List<VerificationResult> results) {
    List<String> domains = results.stream().map(VerificationResult::domain).toList();
    policy.metrics().verified(domains, System.nanoTime() - started);
  }

  private void keyRetrievalFailed(VerificationResult r) {
    LOG.error(
        "{}: key retrieval failed (s={}, d={}): {}", queueId, r.selector(), r.domain(), r.reason());
  }

  private static VerificationResult first(
      List<VerificationResult> results, java.util.function.Predicate<VerificationResult> which) {
    return results.stream().filter(which).findFirst().orElseThrow();
  }

  /** On-InternalError, for a failure of our own (a key source, a bug). */
  List<MilterReply> internalError(String mode, Throwable t) {
    Throwable cause =
        t instanceof java.util.concurrent.CompletionException && t.getCause() != null
            ? t.getCause()
            : t;
    LOG.error("{}: internal error: {}", queueId, cause.toString());
    return count(mode, "internalerror", action(policy.actions().internalError(), List.of()));
  }

  List<MilterReply> count(String mode, String result, List<MilterReply> replies) {
    policy.metrics().count(mode, result, Verdicts.name(replies));
    return replies;
  }

  private List<MilterReply> action(MilterAction a, List<MilterReply> mods) {
    return Verdicts.of(a, mods, quarantineAllowed, "DKIM " + a);
  }

  private static boolean any(List<VerificationResult> results, DkimResult r) {
    return results.stream().anyMatch(v -> v.result() == r);
  }

  /**
   * SoftwareHeader: {@code DKIM-Filter: Inkan vVERSION HOST JOBID} on top, after the other fields,
   * as OpenDKIM's {@code "OpenDKIM Filter v%s %s %s"} (opendkim.conf(5), SoftwareHeader); kept only
   * when the message is delivered.
   */
  private void softwareHeader(List<MilterReply> mods) {
    if (policy.softwareHeader()) {
      String job = "NOQUEUE".equals(queueId) ? "(unknown-jobid)" : queueId;
      mods.add(
          new MilterReply.InsertHeader(
              0,
              DKIM_FILTER,
              milterValue(" " + PRODUCT + " v" + VERSION + " " + policy.hostName() + " " + job)));
    }
  }

  private MilterReply arHeader(List<VerificationResult> results) {
    return new MilterReply.InsertHeader(
        0, AR, milterValue(" " + AuthenticationResults.fieldValue(policy.authservId(), results)));
  }

  /**
   * A field value as the MTA wants it (libmilter {@code smfi_insheader}): folded with bare LF, and
   * without its leading space unless {@code SMFIP_HDR_LEADSPC} was agreed (then the MTA writes
   * {@code name:value} as given; otherwise it writes {@code name: value}).
   */
  private String milterValue(String value) {
    String v = value.replace("\r\n", "\n");
    return leadingSpace || !v.startsWith(" ") ? v : v.substring(1);
  }

  /**
   * {@code ChangeHeader} deletions (empty value) for the fields called {@code name} that {@code
   * which} selects, by per-name 1-based index, highest first so no deletion shifts another.
   */
  static List<MilterReply> deletions(
      List<HeaderField> headers, String name, java.util.function.Predicate<HeaderField> which) {
    List<MilterReply> out = new ArrayList<>();
    int index = 0;
    for (HeaderField h : headers) {
      if (h.is(name)) {
        index++;
        if (which.test(h)) {
          out.add(0, new MilterReply.ChangeHeader(index, name, ""));
        }
      }
    }
    return out;
  }

  /**
   * Whether an Authentication-Results value names {@code authservId} (RFC 8601 §2.2: the first
   * token, after optional CFWS, compared ignoring case), so that a forged one is removed (§5).
   */
  static boolean claims(String value, String authservId) {
    String v = value.replace("\r", "").replace("\n", "");
    StringBuilder sb = new StringBuilder();
    int depth = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      } else if (depth == 0) {
        if (c == ';' || (Character.isWhitespace(c) && sb.length() > 0)) {
          break;
        }
        if (!Character.isWhitespace(c)) {
          sb.append(c);
        }
      }
    }
    String id = sb.toString();
    if (id.length() > 1 && id.startsWith("\"") && id.endsWith("\"")) {
      id = id.substring(1, id.length() - 1);
    }
    return id.toLowerCase(Locale.ROOT).equals(authservId.toLowerCase(Locale.ROOT));
  }
}
