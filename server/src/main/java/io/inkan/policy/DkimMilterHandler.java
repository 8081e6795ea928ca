package io.inkan.policy;

import io.inkan.config.MilterAction;
import io.inkan.dkim.HeaderField;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DKIM filter for one milter connection, deciding per message as OpenDKIM's {@code mlfi_eoh}:
 *
 * <ul>
 *   <li>a PeerList client is accepted at connect, untouched; with a remote PeerList ({@code dsn:},
 *       {@code ldap:}) each of its messages is accepted untouched at the end of headers instead,
 *       since the connect step must not block (see {@link ClientHosts});
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
  static final int MAX_HEADER_BYTES = io.inkan.config.LimitSettings.DEFAULTS.maximumHeaders();

  private final Supplier<DkimPolicy> source;
  private DkimPolicy policy;
  private MessagePlanner planner;
  private ClientHosts client = ClientHosts.UNKNOWN;

  public DkimMilterHandler(DkimPolicy policy) {
    this(() -> policy);
  }

  /**
   * A handler that takes the current policy from {@code source} at each message's start, so a
   * reload reaches connections that stay open (the connect-time host checks keep the policy of
   * their connection).
   */
  public DkimMilterHandler(Supplier<DkimPolicy> source) {
    this.source = source;
    this.policy = source.get();
    this.planner = new MessagePlanner(policy);
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
    if (policy.dontSignMailTo().isPresent() || policy.resignMailTo().isPresent()) {
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
    String clientName = c == null ? null : c.hostname();
    InetAddress clientAddress = c == null ? null : address(c);
    client = ClientHosts.atConnect(policy, clientAddress, clientName);
    if (client.peer() == ClientHosts.Answer.YES) {
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
   * Keeps the recipient for DontSignMailTo and ResignMailTo, without angle brackets, as OpenDKIM's
   * {@code mlfi_envrcpt}.
   */
  @Override
  public MilterReply.StepReply onRcpt(MilterContext ctx, List<String> args) {
    if ((policy.dontSignMailTo().isPresent() || policy.resignMailTo().isPresent())
        && !args.isEmpty()) {
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
    int max = policy.maximumHeaders();
    if (m.fixed == null && max > 0 && m.headerBytes > max) {
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
    if (client.peer() == ClientHosts.Answer.YES) {
      m.decide(List.of(new MilterReply.Accept()), "pass", "peer");
      return CONTINUE;
    }
    if (m.fixed != null) {
      return CONTINUE;
    }
    String qid = queueId(ctx);
    MessagePlanner.Request r =
        new MessagePlanner.Request(
            qid, List.copyOf(m.headers), List.copyOf(m.recipients), authorized(ctx), client);
    if (!policy.lookupsMayBlock()) {
      planner.plan(r).applyTo(m);
      return CONTINUE;
    }
    try {
      m.plan = CompletableFuture.supplyAsync(() -> planner.plan(r), policy.lookups());
    } catch (RejectedExecutionException e) {
      LOG.error("{}: internal error: key lookups are saturated", qid);
      MessagePlanner.fail(policy.actions().internalError(), "internalerror").applyTo(m);
    }
    return CONTINUE;
  }

  /**
   * Whether the client may have mail signed for a reason other than InternalHosts (which the
   * planner asks, as it may be remote): authenticated, its MTA name, or a MacroList match.
   */
  private boolean authorized(MilterContext ctx) {
    if (present(ctx.macro("auth_authen")) || present(ctx.macro("auth_type"))) {
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

  /**
   * Body chunks go to the sessions; while a remote key lookup is still running they are held (in
   * order) and handed over once its plan is applied.
   */
  @Override
  public MilterReply.StepReply onBody(MilterContext ctx, byte[] chunk) {
    MessageState m = state(ctx);
    if (m.fixed != null) {
      return CONTINUE;
    }
    if (m.plan != null) {
      if (!m.plan.isDone()) {
        m.hold(chunk);
        return CONTINUE;
      }
      m.applyPlan();
    }
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
    if (m.plan != null) {
      // The connection no longer touches m: the plan may be applied on the lookup thread.
      return m.plan.thenCompose(
          p -> {
            m.applyPlan();
            return finish(m, out, qid);
          });
    }
    return finish(m, out, qid);
  }

  private CompletionStage<List<MilterReply>> finish(MessageState m, Outcomes out, String qid) {
    if (m.fixed != null) {
      return CompletableFuture.completedFuture(
          out.count(m.fixed.mode(), m.fixed.result(), m.fixed.replies()));
    }
    if (m.resign) {
      return m.verifying
          .finish(policy.crypto())
          .thenComposeAsync(results -> out.resigned(m, results), policy.crypto())
          .exceptionally(t -> out.internalError("sign", t));
    }
    if (!m.signing.isEmpty()) {
      return CompletableFuture.supplyAsync(() -> out.sign(m), policy.crypto())
          .thenCompose(signed -> signed)
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

  private MessageState state(MilterContext ctx) {
    if (ctx.messageState() instanceof MessageState m) {
      return m;
    }
    DkimPolicy current = source.get();
    if (current != policy) {
      policy = current;
      planner = new MessagePlanner(current);
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
