package io.inkan.policy;

import io.inkan.config.MilterAction;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.HeaderField;
import io.inkan.dkim.SignerSettings;
import io.inkan.keys.KeyTableException;
import io.inkan.keys.ResolvedKey;
import io.inkan.keys.SigningMatch;
import io.inkan.milter.MacroStage;
import io.inkan.milter.MilterCommand;
import io.inkan.milter.MilterContext;
import io.inkan.milter.MilterFlags;
import io.inkan.milter.MilterHandler;
import io.inkan.milter.MilterReply;
import io.inkan.milter.Negotiation;
import io.inkan.milter.Step;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DKIM filter for one milter connection, deciding per message as OpenDKIM's {@code mlfi_eoh}:
 *
 * <ul>
 *   <li>a PeerList client is accepted at connect, untouched;
 *   <li>no From field, or one without an address: accepted untouched, logged "no sender header
 *       found; accepting" as OpenDKIM does (nothing can be signed, nothing aligned verified);
 *   <li>sign when the client is in InternalHosts, authenticated ({@code {auth_authen}} or {@code
 *       {auth_type}}), its {@code {daemon_name}} is in MTA, or a MacroList entry matches — and the
 *       SigningTable (or Domain) has a key for the sender (the first field SenderHeaders names,
 *       default From), unless a recipient is in DontSignMailTo (then accept untouched). Several
 *       From fields cannot be signed (RFC 5322 §3.6 allows one; a second would hide the signed
 *       author): On-SignatureError (default reject). A key that cannot be read now is
 *       On-InternalError (default tempfail);
 *   <li>otherwise verify (mode {@code v}); an external client using a signing domain is logged
 *       unless ExternalIgnoreList lists it;
 *   <li>mode without {@code v}: continue untouched;
 *   <li>more than 64 KiB of header fields (OpenDKIM's MaximumHeaders default): On-Security (default
 *       tempfail).
 * </ul>
 *
 * Header fields are kept until the end of headers; the body then goes chunk by chunk to the
 * sessions' hashers and is never held. Crypto runs on the policy's executor.
 */
public final class DkimMilterHandler implements MilterHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DkimMilterHandler.class);

  /** OpenDKIM's MaximumHeaders default (opendkim.conf(5)): header bytes kept per message. */
  static final int MAX_HEADER_BYTES = 65536;

  private final DkimPolicy policy;
  private InetAddress clientAddress;
  private String clientName;
  private boolean internal;
  private boolean peer;

  public DkimMilterHandler(DkimPolicy policy) {
    this.policy = policy;
  }

  /**
   * What Inkan asks of the MTA: add and change header fields (quarantine when offered); connect,
   * mail, headers, end of headers and body, with no reply to any but end of message (and connect
   * when a PeerList may accept there); header values with their leading space ({@code
   * SMFIP_HDR_LEADSPC}, so simple canonicalization sees the field as written); and the macros
   * OpenDKIM reads: {@code j}, {@code {daemon_name}}, {@code {client_addr}} at connect, {@code
   * {auth_authen}}, {@code {auth_type}} and {@code i} from MAIL on, plus MacroList's names.
   */
  public static Negotiation.Wants wants(DkimPolicy policy) {
    EnumSet<Step> needed = EnumSet.of(Step.CONNECT, Step.MAIL, Step.HEADER, Step.EOH, Step.BODY);
    if (policy.dontSignMailTo().isPresent()) {
      needed.add(Step.RCPT);
    }
    EnumSet<Step> decides =
        policy.hasPeerList() ? EnumSet.of(Step.CONNECT) : EnumSet.noneOf(Step.class);
    List<String> auth = List.of("{auth_authen}", "{auth_type}", "i");
    List<String> eoh =
        new ArrayList<>(List.of("i", "{auth_authen}", "{auth_type}", "{daemon_name}"));
    for (String name : policy.macroNames()) {
      String braced = name.length() == 1 ? name : "{" + name + "}";
      if (!eoh.contains(braced)) {
        eoh.add(braced);
      }
    }
    Map<MacroStage, List<String>> macros = new EnumMap<>(MacroStage.class);
    macros.put(MacroStage.CONNECT, List.of("j", "{daemon_name}", "{client_addr}"));
    macros.put(MacroStage.MAIL, auth);
    macros.put(MacroStage.EOH, eoh);
    macros.put(MacroStage.EOM, List.of("i"));
    return new Negotiation.Wants(
        MilterFlags.SMFIF_ADDHDRS | MilterFlags.SMFIF_CHGHDRS,
        MilterFlags.SMFIF_QUARANTINE,
        needed,
        decides,
        macros,
        true,
        false);
  }

  @Override
  public MilterReply.StepReply onConnect(MilterContext ctx) {
    MilterCommand.Connect c = ctx.connection();
    clientName = c == null ? null : c.hostname();
    clientAddress = c == null ? null : address(c);
    peer = policy.peerList().map(p -> p.matches(clientAddress, clientName)).orElse(false);
    internal = policy.internalHosts().matches(clientAddress, clientName);
    if (peer) {
      LOG.info("{} [{}] is in PeerList; accepting", clientName, clientAddress);
      policy.metrics().count("pass", "peer", "accept");
      return new MilterReply.Accept();
    }
    return CONTINUE;
  }

  private static InetAddress address(MilterCommand.Connect c) {
    if (c.family() != '4' && c.family() != '6') {
      return null;
    }
    String a = c.address();
    if (a.startsWith("[") && a.endsWith("]")) {
      a = a.substring(1, a.length() - 1);
    }
    if (a.regionMatches(true, 0, "IPv6:", 0, 5)) {
      a = a.substring(5);
    }
    if (a.isEmpty()
        || !(a.indexOf(':') >= 0 || a.chars().allMatch(ch -> ch == '.' || Character.isDigit(ch)))) {
      return null; // only literals: never a DNS query on the event loop
    }
    try {
      return InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * Keeps the recipient for DontSignMailTo, without angle brackets, as OpenDKIM's {@code
   * mlfi_envrcpt}.
   */
  @Override
  public MilterReply.StepReply onRcpt(MilterContext ctx, List<String> args) {
    if (policy.dontSignMailTo().isPresent() && !args.isEmpty()) {
      String a = args.get(0).strip();
      if (a.startsWith("<") && a.endsWith(">")) {
        a = a.substring(1, a.length() - 1);
      }
      state(ctx).recipients.add(a);
    }
    return CONTINUE;
  }

  @Override
  public MilterReply.StepReply onHeader(MilterContext ctx, String name, String value) {
    MessageState m = state(ctx);
    m.headerBytes += name.length() + value.length() + 2;
    if (m.fixed == null && m.headerBytes > MAX_HEADER_BYTES) {
      // OpenDKIM's MaximumHeaders default: more header data is a security concern (On-Security).
      LOG.warn("{}: too much header data", queueId(ctx));
      MilterAction a = policy.actions().security();
      m.decide(Verdicts.of(a, List.of(), false, "DKIM " + a), "pass", "security");
    }
    if (m.fixed == null && m.signing.isEmpty() && m.verifying == null) {
      String v = value.replace("\r\n", "\n").replace("\n", "\r\n");
      boolean lead = ctx.negotiation() != null && ctx.negotiation().headerLeadingSpace();
      // Without SMFIP_HDR_LEADSPC the MTA dropped the space after the colon: put one back, as
      // OpenDKIM does.
      m.headers.add(HeaderField.of(name, lead ? v : " " + v));
    }
    return CONTINUE;
  }

  @Override
  public MilterReply.StepReply onEndOfHeaders(MilterContext ctx) {
    MessageState m = state(ctx);
    if (peer) {
      m.decide(List.of(new MilterReply.Accept()), "pass", "peer");
      return CONTINUE;
    }
    if (m.fixed != null) {
      return CONTINUE;
    }
    String qid = queueId(ctx);
    List<HeaderField> froms = m.headers.stream().filter(h -> h.is("From")).toList();
    Optional<HeaderField> sender = senderHeader(m.headers);
    Optional<FromAddress> from = sender.flatMap(h -> FromAddress.parse(h.value()));
    if (from.isEmpty()) {
      if (sender.isEmpty()) {
        LOG.info("{}: no sender header found; accepting", qid);
      } else {
        LOG.info("{}: can't parse {}: header value; accepting", qid, sender.get().name());
      }
      m.decide(List.of(new MilterReply.Accept()), "pass", "nofrom");
      return CONTINUE;
    }
    m.from = from.get().address();
    boolean originator = originator(ctx);
    if (policy.mode().sign() && originator) {
      List<SigningMatch> matches =
          policy.keys().matches(from.get().address(), policy.multipleSignatures());
      Optional<String> dontSign = dontSignRecipient(m);
      if (!matches.isEmpty() && dontSign.isPresent()) {
        LOG.info("{}: skipping signing of mail to '{}'", qid, dontSign.get());
        m.decide(List.of(new MilterReply.Accept()), "pass", "dontsign");
        return CONTINUE;
      }
      if (!matches.isEmpty()) {
        startSigning(m, qid, froms.size(), from.get(), matches);
        return CONTINUE;
      }
      LOG.info("{}: no signing table match for '{}'", qid, from.get().address());
    }
    if (!policy.mode().verify()) {
      m.decide(List.of(new MilterReply.Continue()), "pass", "notsigned");
      return CONTINUE;
    }
    if (!originator
        && !policy.keys().matches(from.get().address(), false).isEmpty()
        && !policy
            .externalIgnoreList()
            .map(l -> l.matches(clientAddress, clientName))
            .orElse(false)) {
      LOG.warn(
          "{}: external host {} [{}] attempted to send as {}",
          qid,
          clientName,
          clientAddress == null ? "" : clientAddress.getHostAddress(),
          from.get().domain());
    }
    m.verifying = policy.verifier().newSession();
    m.replayHeaders(m.verifying);
    return CONTINUE;
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
  private Optional<String> dontSignRecipient(MessageState m) {
    if (policy.dontSignMailTo().isEmpty()) {
      return Optional.empty();
    }
    return m.recipients.stream().filter(r -> policy.dontSignMailTo().get().contains(r)).findFirst();
  }

  private boolean originator(MilterContext ctx) {
    if (internal || present(ctx.macro("auth_authen")) || present(ctx.macro("auth_type"))) {
      return true;
    }
    String daemon = ctx.macro("daemon_name");
    if (daemon != null && policy.mtaNames().stream().anyMatch(daemon::equalsIgnoreCase)) {
      return true;
    }
    return policy.macroList().stream().anyMatch(r -> r.matches(ctx));
  }

  private static boolean present(String macro) {
    return macro != null && !macro.isEmpty();
  }

  private void startSigning(
      MessageState m, String qid, int fromCount, FromAddress from, List<SigningMatch> matches) {
    if (fromCount > 1) {
      LOG.warn("{}: {} From fields; a message with several cannot be signed", qid, fromCount);
      fail(m, policy.actions().signatureError(), "signatureerror");
      return;
    }
    long now = policy.now();
    for (SigningMatch match : matches) {
      Optional<ResolvedKey> key;
      try {
        key = policy.keys().resolve(match, from.domain());
      } catch (KeyTableException e) {
        LOG.error("{}: internal error: {}", qid, e.getMessage());
        fail(m, policy.actions().internalError(), "internalerror");
        return;
      }
      if (key.isEmpty()) {
        LOG.error("{}: internal error: key {} is not in the KeyTable", qid, match.keyName());
        fail(m, policy.actions().internalError(), "internalerror");
        return;
      }
      SignerSettings settings;
      try {
        ResolvedKey k = key.get();
        settings =
            SignerSettings.of(k.domain(), k.selector(), k.key())
                .withAlgorithm(k.algorithm())
                .withCanonicalization(policy.canonicalization())
                .withHeaders(policy.signedHeaders(), policy.oversignedHeaders())
                .withIdentity(match.signer())
                .withOptions(false, false, policy.signatureTtl());
      } catch (IllegalArgumentException e) {
        LOG.warn("{}: key {} cannot sign: {}", qid, match.keyName(), e.getMessage());
        fail(m, policy.actions().signatureError(), "signatureerror");
        return;
      }
      DkimSigner signer = new DkimSigner(settings);
      MessageState.Signing s = new MessageState.Signing(signer, signer.newSession(now));
      m.replayHeaders(s.session());
      m.signing.add(s);
    }
  }

  /** A verdict decided now, sent at end of message; the body is then ignored. */
  private static void fail(MessageState m, MilterAction action, String result) {
    m.decide(Verdicts.of(action, List.of(), false, "DKIM " + action), "sign", result);
  }

  @Override
  public MilterReply.StepReply onBody(MilterContext ctx, byte[] chunk) {
    MessageState m = state(ctx);
    if (m.fixed == null) {
      m.body(chunk);
    }
    return CONTINUE;
  }

  @Override
  public CompletionStage<List<MilterReply>> onEndOfMessage(MilterContext ctx) {
    MessageState m = state(ctx);
    ctx.setMessageState(null);
    String qid = queueId(ctx);
    Negotiation.Agreed agreed = ctx.negotiation();
    Outcomes out =
        new Outcomes(
            policy, qid, agreed.headerLeadingSpace(), agreed.allows(MilterFlags.SMFIF_QUARANTINE));
    if (m.fixed != null) {
      return CompletableFuture.completedFuture(
          out.count(m.fixed.mode(), m.fixed.result(), m.fixed.replies()));
    }
    if (!m.signing.isEmpty()) {
      return CompletableFuture.supplyAsync(() -> out.sign(m), policy.crypto())
          .exceptionally(t -> out.internalError("sign", t));
    }
    if (m.verifying != null) {
      return m.verifying
          .finish(policy.crypto())
          .thenApply(results -> out.verified(m, results))
          .exceptionally(t -> out.internalError("verify", t));
    }
    // No header at all reached us: nothing to sign or verify.
    LOG.info("{}: no sender header found; accepting", qid);
    return CompletableFuture.completedFuture(
        out.count("pass", "nofrom", List.of(new MilterReply.Accept())));
  }

  @Override
  public void onAbort(MilterContext ctx) {
    ctx.setMessageState(null);
  }

  private static MessageState state(MilterContext ctx) {
    if (ctx.messageState() instanceof MessageState m) {
      return m;
    }
    MessageState m = new MessageState();
    ctx.setMessageState(m);
    return m;
  }

  private static String queueId(MilterContext ctx) {
    String i = ctx.macro("i");
    return i == null || i.isEmpty() ? "NOQUEUE" : i;
  }
}
