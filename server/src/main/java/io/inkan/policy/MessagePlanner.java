package io.inkan.policy;

import io.inkan.config.MilterAction;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.HeaderField;
import io.inkan.dkim.SignerSettings;
import io.inkan.keys.DomainKeySource.KeyOptions;
import io.inkan.milter.MilterReply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-of-headers decision, as OpenDKIM's {@code mlfi_eoh}: sign, verify, re-sign, or a verdict
 * now. It reads the KeyTable, SigningTable, ResignMailTo, DontSignMailTo and the host lists
 * (PeerList and InternalHosts when the connect step left them for later, ExternalIgnoreList), which
 * may be remote (SQL, LDAP) and block, so it works on copied values and returns a {@link Plan} that
 * the connection applies to its message state on its own thread.
 */
final class MessagePlanner {
  private static final Logger LOG = LoggerFactory.getLogger(DkimMilterHandler.class);

  private final DkimPolicy policy;

  MessagePlanner(DkimPolicy policy) {
    this.policy = policy;
  }

  /** What to do with the message; applied on the connection's thread. */
  @FunctionalInterface
  interface Plan {
    void applyTo(MessageState m);
  }

  /**
   * The message and connection facts the decision needs, copied at the end of headers.
   *
   * @param authorized the client may have mail signed whatever InternalHosts says (authenticated,
   *     MTA, MacroList)
   * @param client the connection's host-list answers, some perhaps left for this decision
   */
  record Request(
      String qid,
      List<HeaderField> headers,
      List<String> recipients,
      boolean authorized,
      ClientHosts client) {}

  /** Decides; never throws: a data set that cannot answer is On-InternalError. */
  Plan plan(Request r) {
    try {
      return decide(r);
    } catch (RuntimeException e) {
      LOG.error("{}: internal error: {}", r.qid(), e.getMessage());
      return fail(policy.actions().internalError(), "internalerror");
    }
  }

  private Plan decide(Request r) {
    if (r.client().peer() == ClientHosts.Answer.LATER && r.client().isPeer(policy)) {
      LOG.info(
          "{}: {} [{}] is in PeerList; accepting",
          r.qid(),
          r.client().name(),
          r.client().addressText());
      return decided(new MilterReply.Accept(), "pass", "peer");
    }
    List<HeaderField> froms = r.headers().stream().filter(h -> h.is("From")).toList();
    Optional<HeaderField> sender = senderHeader(r.headers());
    Optional<FromAddress> parsed = sender.flatMap(h -> FromAddress.parse(h.value()));
    if (parsed.isEmpty()) {
      if (sender.isEmpty()) {
        LOG.info("{}: no sender header found; accepting", r.qid());
      } else {
        LOG.info("{}: can't parse {}: header value; accepting", r.qid(), sender.get().name());
      }
      return decided(new MilterReply.Accept(), "pass", "nofrom");
    }
    FromAddress from = parsed.get();
    Optional<String> resign = resignKey(r);
    if (resign.isPresent() && policy.mode().verify()) {
      return resigning(r, froms.size(), from, resign.get());
    }
    boolean originator = originator(r);
    if (policy.mode().sign() && originator) {
      List<ChosenKey> keys;
      try {
        keys = policy.keys().choose(from.address(), from.domain(), policy.multipleSignatures());
      } catch (SenderKeys.KeyChoiceException e) {
        LOG.error("{}: internal error: {}", r.qid(), e.getMessage());
        return fail(policy.actions().internalError(), "internalerror");
      }
      if (!keys.isEmpty()) {
        Optional<String> dontSign = dontSignRecipient(r);
        if (dontSign.isPresent()) {
          LOG.info("{}: skipping signing of mail to '{}'", r.qid(), dontSign.get());
          return decided(new MilterReply.Accept(), "pass", "dontsign");
        }
        return signing(r, froms.size(), keys);
      }
      if (policy.log().logWhy()) {
        LOG.info("{}: no signing table match for '{}'", r.qid(), from.address());
      }
    }
    if (!policy.mode().verify()) {
      return decided(new MilterReply.Continue(), "pass", "notsigned");
    }
    if (!originator
        && policy.keys().signs(from.address(), from.domain())
        && !externallyIgnored(r)) {
      LOG.warn(
          "{}: external host {} [{}] attempted to send as {}",
          r.qid(),
          r.client().name(),
          r.client().addressText(),
          from.domain());
    }
    return m -> {
      m.verifying = policy.verifier().newSession();
      m.replayHeaders(m.verifying);
    };
  }

  /**
   * Whether the client may have mail signed: authorized, or in InternalHosts; with LogWhy, says why
   * not as OpenDKIM's {@code mlfi_eoh} does. When signing, an InternalHosts that cannot answer is
   * On-InternalError (thrown to {@link #plan}); in verify-only mode the answer only picks a log
   * line, so the client then counts as external.
   */
  private boolean originator(Request r) {
    if (r.authorized()) {
      return true;
    }
    boolean internal;
    try {
      internal = r.client().isInternal(policy);
    } catch (DataSetUnavailableException e) {
      if (policy.mode().sign()) {
        throw e;
      }
      LOG.warn(
          "{}: InternalHosts cannot answer ({}); taking the client as external",
          r.qid(),
          e.getMessage());
      internal = false;
    }
    if (!internal && policy.log().logWhy() && policy.mode().sign()) {
      LOG.info("{}: {} [{}] not internal", r.qid(), r.client().name(), r.client().addressText());
      LOG.info("{}: not authenticated", r.qid());
    }
    return internal;
  }

  /**
   * ExternalIgnoreList: only silences the external-sender warning, so a list that cannot answer
   * leaves the warning in (with a note) rather than failing the message.
   */
  private boolean externallyIgnored(Request r) {
    if (policy.externalIgnoreList().isEmpty()) {
      return false;
    }
    try {
      return policy.externalIgnoreList().get().matches(r.client().address(), r.client().name());
    } catch (DataSetUnavailableException e) {
      LOG.warn("{}: ExternalIgnoreList cannot answer: {}", r.qid(), e.getMessage());
      return false;
    }
  }

  /**
   * SenderHeaders (opendkim.conf(5)): the first present field of the listed names, in list order,
   * its first instance; From when none is present and the list does not name From.
   */
  private Optional<HeaderField> senderHeader(List<HeaderField> headers) {
    for (String name : policy.senderHeaders()) {
      Optional<HeaderField> h = headers.stream().filter(f -> f.is(name)).findFirst();
      if (h.isPresent()) {
        return h;
      }
    }
    if (policy.senderHeaders().contains("from")) {
      return Optional.empty();
    }
    return headers.stream().filter(f -> f.is("From")).findFirst();
  }

  /** The first recipient DontSignMailTo lists (an "any" match, opendkim.conf(5)). */
  private Optional<String> dontSignRecipient(Request r) {
    if (policy.dontSignMailTo().isEmpty()) {
      return Optional.empty();
    }
    DataSet set = policy.dontSignMailTo().get();
    return r.recipients().stream().filter(set::contains).findFirst();
  }

  /**
   * ResignMailTo (opendkim.conf(5)): for each recipient, the full address, then its host, then each
   * of the host's parent domains with a leading dot; the first match's value names the KeyTable key
   * to sign with (empty: the SigningTable's keys for the sender).
   */
  private Optional<String> resignKey(Request r) {
    if (policy.resignMailTo().isEmpty()) {
      return Optional.empty();
    }
    DataSet set = policy.resignMailTo().get();
    for (String rcpt : r.recipients()) {
      int at = rcpt.indexOf('@');
      List<String> candidates = new ArrayList<>();
      candidates.add(rcpt);
      if (at >= 0) {
        String host = rcpt.substring(at + 1);
        candidates.add(host);
        for (int dot = host.indexOf('.'); dot >= 0; dot = host.indexOf('.', dot + 1)) {
          candidates.add(host.substring(dot));
        }
      }
      for (String c : candidates) {
        Optional<DataSetEntry> e = set.lookup(c);
        if (e.isPresent()) {
          if (policy.log().logWhy()) {
            LOG.info("{}: re-signing mail to '{}'", r.qid(), rcpt);
          }
          return Optional.of(e.get().hasValue() ? e.get().values(1).get(0) : "");
        }
      }
    }
    return Optional.empty();
  }

  /** Verifies and, at the end of the message, signs again (ResignMailTo). */
  private Plan resigning(Request r, int fromCount, FromAddress from, String keyName) {
    List<ChosenKey> keys;
    try {
      keys =
          keyName.isEmpty()
              ? policy.keys().choose(from.address(), from.domain(), policy.multipleSignatures())
              : policy.keys().named(keyName, from.domain()).map(List::of).orElse(List.of());
    } catch (SenderKeys.KeyChoiceException e) {
      LOG.error("{}: internal error: {}", r.qid(), e.getMessage());
      return fail(policy.actions().internalError(), "internalerror");
    }
    if (keys.isEmpty()) {
      if (keyName.isEmpty()) {
        LOG.error("{}: ResignMailTo matched but no key signs '{}'", r.qid(), from.address());
      } else {
        LOG.error("{}: internal error: key {} is not in the KeyTable", r.qid(), keyName);
      }
      return fail(policy.actions().internalError(), "internalerror");
    }
    Plan sign = signing(r, fromCount, keys);
    return m -> {
      sign.applyTo(m);
      if (m.fixed == null) {
        m.resign = true;
        m.verifying = policy.verifier().newSession();
        m.replayHeaders(m.verifying);
      }
    };
  }

  private Plan signing(Request r, int fromCount, List<ChosenKey> requests) {
    if (fromCount > 1) {
      LOG.warn("{}: {} From fields; a message with several cannot be signed", r.qid(), fromCount);
      return fail(policy.actions().signatureError(), "signatureerror");
    }
    List<DkimSigner> signers = new ArrayList<>();
    for (ChosenKey q : requests) {
      try {
        signers.add(new DkimSigner(settings(q)));
      } catch (IllegalArgumentException e) {
        LOG.warn("{}: key {} cannot sign: {}", r.qid(), q.ref().name(), e.getMessage());
        return fail(policy.actions().signatureError(), "signatureerror");
      }
    }
    long now = policy.now();
    return m -> {
      for (DkimSigner signer : signers) {
        MessageState.Signing s = new MessageState.Signing(signer, signer.newSession(now));
        m.replayHeaders(s.session());
        m.signing.add(s);
      }
    };
  }

  /** The policy's signing settings, with the key's own options (directory keys) on top. */
  private SignerSettings settings(ChosenKey k) {
    KeyOptions o = k.options();
    java.util.OptionalLong ttl =
        o.signatureTtlSeconds().isPresent()
            ? (o.signatureTtlSeconds().getAsLong() == 0
                ? java.util.OptionalLong.empty()
                : o.signatureTtlSeconds())
            : policy.signatureTtl();
    return SignerSettings.of(k.domain(), k.selector(), k.key())
        .withAlgorithm(k.algorithm())
        .withCanonicalization(
            o.canonicalization()
                .flatMap(Canonicalization.Pair::parse)
                .orElse(policy.canonicalization()))
        .withHeaders(
            o.signedHeaders().orElse(policy.signedHeaders()),
            o.oversignedHeaders().orElse(policy.oversignedHeaders()))
        .withIdentity(k.identity())
        .withOptions(false, false, ttl);
  }

  private static Plan decided(MilterReply verdict, String mode, String result) {
    return m -> m.decide(List.of(verdict), mode, result);
  }

  /** A verdict decided now, sent at end of message; the body is then ignored. */
  static Plan fail(MilterAction action, String result) {
    return m -> m.decide(Verdicts.of(action, List.of(), false, "DKIM " + action), "sign", result);
  }
}
