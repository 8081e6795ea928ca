package io.inkan.policy;

import io.inkan.config.MilterAction;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.HeaderField;
import io.inkan.dkim.SignerSettings;
import io.inkan.keys.DomainKeySource.DirectoryKey;
import io.inkan.keys.DomainKeySource.KeyOptions;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.ResolvedKey;
import io.inkan.keys.SigningMatch;
import io.inkan.milter.MilterReply;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-of-headers decision, as OpenDKIM's {@code mlfi_eoh}: sign, verify, re-sign, or a verdict
 * now. It reads the KeyTable, SigningTable, ResignMailTo and DontSignMailTo, which may be remote
 * (SQL, LDAP) and block, so it works on copied values and returns a {@link Plan} that the
 * connection applies to its message state on its own thread.
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
   * @param originator the client may have mail signed (internal, authenticated, MTA, MacroList)
   */
  record Request(
      String qid,
      List<HeaderField> headers,
      List<String> recipients,
      boolean originator,
      String clientName,
      InetAddress clientAddress) {}

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
    if (policy.mode().sign() && r.originator()) {
      List<DirectoryKey> directory = policy.keys().directoryKeys(from.domain());
      if (!directory.isEmpty()) {
        Optional<String> dontSign = dontSignRecipient(r);
        if (dontSign.isPresent()) {
          LOG.info("{}: skipping signing of mail to '{}'", r.qid(), dontSign.get());
          return decided(new MilterReply.Accept(), "pass", "dontsign");
        }
        return directorySigning(r, froms.size(), directory);
      }
      List<SigningMatch> matches =
          policy.keys().matches(from.address(), policy.multipleSignatures());
      Optional<String> dontSign = dontSignRecipient(r);
      if (!matches.isEmpty() && dontSign.isPresent()) {
        LOG.info("{}: skipping signing of mail to '{}'", r.qid(), dontSign.get());
        return decided(new MilterReply.Accept(), "pass", "dontsign");
      }
      if (!matches.isEmpty()) {
        return signing(r, froms.size(), from, matches);
      }
      if (policy.log().logWhy()) {
        LOG.info("{}: no signing table match for '{}'", r.qid(), from.address());
      }
    }
    if (!policy.mode().verify()) {
      return decided(new MilterReply.Continue(), "pass", "notsigned");
    }
    if (!r.originator()
        && policy.keys().signs(from)
        && !policy
            .externalIgnoreList()
            .map(l -> l.matches(r.clientAddress(), r.clientName()))
            .orElse(false)) {
      LOG.warn(
          "{}: external host {} [{}] attempted to send as {}",
          r.qid(),
          r.clientName(),
          r.clientAddress() == null ? "" : r.clientAddress().getHostAddress(),
          from.domain());
    }
    return m -> {
      m.verifying = policy.verifier().newSession();
      m.replayHeaders(m.verifying);
    };
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
    List<SigningMatch> matches =
        keyName.isEmpty()
            ? policy.keys().matches(from.address(), policy.multipleSignatures())
            : List.of(new SigningMatch(keyName, Optional.empty()));
    if (matches.isEmpty()) {
      LOG.error("{}: ResignMailTo matched but no key signs '{}'", r.qid(), from.address());
      return fail(policy.actions().internalError(), "internalerror");
    }
    Plan sign = signing(r, fromCount, from, matches);
    return m -> {
      sign.applyTo(m);
      if (m.fixed == null) {
        m.resign = true;
        m.verifying = policy.verifier().newSession();
        m.replayHeaders(m.verifying);
      }
    };
  }

  private Plan signing(Request r, int fromCount, FromAddress from, List<SigningMatch> matches) {
    List<SigningRequest> requests = new ArrayList<>();
    for (SigningMatch match : matches) {
      Optional<ResolvedKey> key;
      try {
        key = policy.keys().resolve(match, from.domain());
      } catch (KeyTableException e) {
        LOG.error("{}: internal error: {}", r.qid(), e.getMessage());
        return fail(policy.actions().internalError(), "internalerror");
      }
      if (key.isEmpty()) {
        LOG.error("{}: internal error: key {} is not in the KeyTable", r.qid(), match.keyName());
        return fail(policy.actions().internalError(), "internalerror");
      }
      requests.add(new SigningRequest(key.get(), match.signer(), KeyOptions.DEFAULTS));
    }
    return signing(r, fromCount, requests);
  }

  /** Keys from the SigningDirectory, each with its own options. */
  private Plan directorySigning(Request r, int fromCount, List<DirectoryKey> keys) {
    return signing(
        r,
        fromCount,
        keys.stream().map(k -> new SigningRequest(k.key(), k.identity(), k.options())).toList());
  }

  /** A key to sign with, its {@code i=} and its own options. */
  private record SigningRequest(ResolvedKey key, Optional<String> identity, KeyOptions options) {}

  private Plan signing(Request r, int fromCount, List<SigningRequest> requests) {
    if (fromCount > 1) {
      LOG.warn("{}: {} From fields; a message with several cannot be signed", r.qid(), fromCount);
      return fail(policy.actions().signatureError(), "signatureerror");
    }
    List<DkimSigner> signers = new ArrayList<>();
    for (SigningRequest q : requests) {
      try {
        signers.add(new DkimSigner(settings(q)));
      } catch (IllegalArgumentException e) {
        LOG.warn("{}: key {} cannot sign: {}", r.qid(), q.key().keyName(), e.getMessage());
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
  private SignerSettings settings(SigningRequest q) {
    ResolvedKey k = q.key();
    KeyOptions o = q.options();
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
        .withIdentity(q.identity())
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
