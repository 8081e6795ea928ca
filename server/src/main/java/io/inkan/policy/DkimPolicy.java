package io.inkan.policy;

import io.inkan.config.CanonicalizationSetting;
import io.inkan.config.Config;
import io.inkan.config.DataSetRef;
import io.inkan.config.HeaderList;
import io.inkan.config.LogSettings;
import io.inkan.config.OnActions;
import io.inkan.config.OperatingMode;
import io.inkan.config.SigningSettings;
import io.inkan.config.VerifySettings;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.HostLists;
import io.inkan.dataset.HostMatcher;
import io.inkan.dkim.Canonicalization;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.VerifierSettings;
import io.inkan.keys.PrivateKeyFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Everything a {@link DkimMilterHandler} decides with, built once from a {@link Config} (and again
 * on reload): host lists, keys, signing and verifying settings, the On-* actions, and the services
 * given by the caller — the key-record lookup (DNS stays outside) and the executor for crypto.
 * Immutable and shared by all connections.
 */
public final class DkimPolicy {
  private final OperatingMode mode;
  private final HostMatcher internalHosts;
  private final Optional<HostMatcher> externalIgnoreList;
  private final Optional<HostMatcher> peerList;
  private final List<MacroRule> macroList;
  private final List<String> mtaNames;
  private final SenderKeys keys;
  private final SignatureService signatures;
  private final Canonicalization.Pair canonicalization;
  private final List<String> signedHeaders;
  private final List<String> oversignedHeaders;
  private final OptionalLong signatureTtl;
  private final boolean multipleSignatures;
  private final boolean removeOldSignatures;
  private final VerifierSettings verifierSettings;
  private final DkimVerifier verifier;
  private final String authservId;
  private final boolean alwaysAddArHeader;
  private final OnActions actions;
  private final boolean softwareHeader;
  private final String hostName;
  private final List<String> senderHeaders;
  private final Optional<DataSet> dontSignMailTo;
  private final Optional<DataSet> resignMailTo;
  private final boolean resignAll;
  private final LogSettings log;
  private final int maximumHeaders;
  private final Executor crypto;
  private final KeyRecordLookup lookup;
  private final Executor lookups;
  private final boolean lookupsMayBlock;
  private final PolicyMetrics metrics;
  private final LongSupplier clock;

  private DkimPolicy(Config c, Services s) throws PolicyException {
    SigningSettings sign = c.signing();
    VerifySettings verify = c.verifying();
    mode = c.service().mode();
    DataSetOptions options =
        DataSetOptions.of(c.dataSets())
            .withMetrics(
                s.metrics() == null ? PolicyMetrics.NONE.dataSets() : s.metrics().dataSets());
    internalHosts = hosts(c.hosts().internalHosts(), options);
    externalIgnoreList = optionalHosts(c.hosts().externalIgnoreList(), options);
    peerList = optionalHosts(c.hosts().peerList(), options);
    List<MacroRule> rules = new ArrayList<>();
    if (c.hosts().macroList().isPresent()) {
      DataSetRef ref = c.hosts().macroList().get();
      for (DataSetEntry e : entries(ref)) {
        rules.add(MacroRule.of(e));
      }
    }
    macroList = List.copyOf(rules);
    mtaNames =
        c.hosts().mta().isPresent()
            ? SigningKeys.keysOf(SigningKeys.dataSet(c.hosts().mta().get()))
            : List.of();
    // A front-end node never reads a private key: its signer nodes choose and hold the keys.
    keys =
        s.senderKeys() != null
            ? s.senderKeys()
            : SigningKeys.of(sign, new PrivateKeyFiles(sign.requireSafeKeys()), options);
    signatures = s.signatures() == null ? SignatureService.LOCAL : s.signatures();
    canonicalization = pair(sign.canonicalization());
    signedHeaders = signedHeaders(sign);
    oversignedHeaders =
        sign.oversignHeaders().isPresent()
            ? names(sign.oversignHeaders().get())
            : SignerSettings.DEFAULT_OVERSIGNED_HEADERS;
    if (!signedHeaders.contains("from") && !oversignedHeaders.contains("from")) {
      throw new PolicyException(
          sign.omitHeaders().or(sign::signHeaders).map(h -> where(h.source())).orElse("")
              + "the signed header fields must include From (RFC 6376 §5.4)");
    }
    signatureTtl =
        sign.signatureTtl().isPresent()
            ? OptionalLong.of(sign.signatureTtl().getAsInt())
            : OptionalLong.empty();
    multipleSignatures = sign.multipleSignatures();
    removeOldSignatures = sign.removeOldSignatures();
    clock = s.clock() == null ? () -> System.currentTimeMillis() / 1000 : s.clock();
    VerifierSettings v =
        VerifierSettings.defaults()
            .withMaxSignatures(
                verify.maximumSignaturesToVerify() <= 0
                    ? Integer.MAX_VALUE
                    : verify.maximumSignaturesToVerify())
            .withMinKeyBits(verify.minimumKeyBits())
            .withAcceptSha1(verify.acceptSha1());
    verifierSettings =
        new VerifierSettings(
            v.maxSignatures(), v.minKeyBits(), v.acceptSha1(), verify.clockDriftSeconds(), clock);
    verifier = new DkimVerifier(verifierSettings, s.lookup());
    authservId = verify.authservId(s.hostName());
    alwaysAddArHeader = verify.alwaysAddArHeader();
    actions = c.actions();
    softwareHeader = c.service().softwareHeader();
    hostName = s.hostName();
    senderHeaders =
        sign.senderHeaders().isPresent() ? names(sign.senderHeaders().get()) : List.of("from");
    dontSignMailTo =
        sign.dontSignMailTo().isPresent()
            ? Optional.of(SigningKeys.dataSet(sign.dontSignMailTo().get(), options))
            : Optional.empty();
    resignMailTo =
        sign.resignMailTo().isPresent()
            ? Optional.of(SigningKeys.dataSet(sign.resignMailTo().get(), options))
            : Optional.empty();
    resignAll = sign.resignAll();
    log = c.log();
    maximumHeaders = c.limits().maximumHeaders();
    crypto = Objects.requireNonNull(s.crypto(), "crypto");
    lookup = s.lookup();
    lookups = s.lookups() == null ? crypto : s.lookups();
    lookupsMayBlock =
        keys.remote()
            || resignMailTo.map(SigningKeys::remote).orElse(false)
            || dontSignMailTo.map(SigningKeys::remote).orElse(false)
            || internalHosts.mayBlock()
            || peerList.map(HostMatcher::mayBlock).orElse(false)
            || externalIgnoreList.map(HostMatcher::mayBlock).orElse(false);
    metrics = s.metrics() == null ? PolicyMetrics.NONE : s.metrics();
  }

  /**
   * What the policy needs from outside.
   *
   * @param lookup key records (DNS, test data), never called on for signing
   * @param crypto where private- and public-key operations run (worker threads, not an event loop)
   * @param metrics where outcomes are counted; null for none
   * @param hostName the authserv-id when {@code AuthservID} is absent or {@code HOSTNAME}
   * @param clock seconds since the epoch for signing and verifying; null for the system clock
   * @param lookups where remote data-set lookups block (a pool of its own); null for {@code crypto}
   * @param senderKeys which keys sign a sender (a cluster's signer nodes); null for the
   *     configuration's own KeyTable, SigningTable and SigningDirectory
   * @param signatures where private-key operations run; null for this process
   */
  public record Services(
      KeyRecordLookup lookup,
      Executor crypto,
      PolicyMetrics metrics,
      String hostName,
      LongSupplier clock,
      Executor lookups,
      SenderKeys senderKeys,
      SignatureService signatures) {
    public Services {
      Objects.requireNonNull(lookup, "lookup");
      Objects.requireNonNull(crypto, "crypto");
      Objects.requireNonNull(hostName, "hostName");
    }

    public Services(
        KeyRecordLookup lookup,
        Executor crypto,
        PolicyMetrics metrics,
        String hostName,
        LongSupplier clock) {
      this(lookup, crypto, metrics, hostName, clock, null, null, null);
    }

    /** The same, with blocking key-table lookups (SQL, LDAP, JE) run on {@code lookups}. */
    public Services withLookups(Executor lookups) {
      return new Services(
          lookup, crypto, metrics, hostName, clock, lookups, senderKeys, signatures);
    }

    /** The same, with keys chosen and signatures made elsewhere (a cluster front-end). */
    public Services withSigners(SenderKeys senderKeys, SignatureService signatures) {
      return new Services(
          lookup, crypto, metrics, hostName, clock, lookups, senderKeys, signatures);
    }

    public Services(KeyRecordLookup lookup, Executor crypto, String hostName) {
      this(lookup, crypto, PolicyMetrics.NONE, hostName, null);
    }
  }

  /**
   * Closes the connections of remote data sets (SQL pools, LDAP connections, JE environments); call
   * once no message uses this policy any more (after a reload, when in-flight messages are done).
   */
  public void close() {
    keys.close();
    internalHosts.close();
    peerList.ifPresent(HostMatcher::close);
    externalIgnoreList.ifPresent(HostMatcher::close);
    resignMailTo.ifPresent(DataSet::close);
    dontSignMailTo.ifPresent(DataSet::close);
    if (lookup instanceof AutoCloseable c) {
      try {
        c.close(); // the key-record lookup chain: shared caches, stats
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(DkimPolicy.class)
            .warn("closing the key-record lookup: {}", e.toString());
      }
    }
  }

  /**
   * Builds the policy: reads every data set and key the configuration names.
   *
   * @throws PolicyException naming the configuration (or data set) file and line at fault
   */
  public static DkimPolicy from(Config config, Services services) throws PolicyException {
    return new DkimPolicy(config, services);
  }

  /**
   * A host list over any data set: walkable ones are read now, remote ones ({@code dsn:}, {@code
   * ldap:}) are asked per client at the end of headers, on {@link #lookups()}.
   */
  private static HostMatcher hosts(DataSetRef ref, DataSetOptions options) throws PolicyException {
    try {
      return HostLists.of(SigningKeys.dataSet(ref, options));
    } catch (DataSetException e) {
      throw new PolicyException(e.getMessage(), e);
    }
  }

  private static Optional<HostMatcher> optionalHosts(
      Optional<DataSetRef> ref, DataSetOptions options) throws PolicyException {
    return ref.isPresent() ? Optional.of(hosts(ref.get(), options)) : Optional.empty();
  }

  private static List<DataSetEntry> entries(DataSetRef ref) throws PolicyException {
    return SigningKeys.dataSet(ref).localEntries().orElseThrow(() -> notLocal(ref));
  }

  private static PolicyException notLocal(DataSetRef ref) {
    return new PolicyException(where(ref) + "data set \"" + ref.spec() + "\" must be local here");
  }

  private static String where(DataSetRef ref) {
    return ref.file() + ":" + ref.line() + ": ";
  }

  private static Canonicalization.Pair pair(CanonicalizationSetting c) {
    return new Canonicalization.Pair(
        c.header() == CanonicalizationSetting.Method.RELAXED
            ? Canonicalization.RELAXED
            : Canonicalization.SIMPLE,
        c.body() == CanonicalizationSetting.Method.RELAXED
            ? Canonicalization.RELAXED
            : Canonicalization.SIMPLE);
  }

  /** SignHeaders (default, or the default with +/- deltas, or a list), minus OmitHeaders. */
  private static List<String> signedHeaders(SigningSettings s) throws PolicyException {
    List<String> signed = new ArrayList<>();
    if (s.signHeaders().isEmpty()) {
      signed.addAll(SignerSettings.DEFAULT_SIGNED_HEADERS);
    } else {
      HeaderList h = s.signHeaders().get();
      if (h.extendsDefault()) {
        signed.addAll(SignerSettings.DEFAULT_SIGNED_HEADERS);
        h.removed().forEach(n -> signed.remove(n.toLowerCase(Locale.ROOT)));
      }
      for (String n : names(h)) {
        if (!signed.contains(n)) {
          signed.add(n);
        }
      }
    }
    if (s.omitHeaders().isPresent()) {
      signed.removeAll(names(s.omitHeaders().get()));
    }
    return List.copyOf(signed);
  }

  /** The names a header list adds, lower case; a list in a file is read now. */
  private static List<String> names(HeaderList h) throws PolicyException {
    List<String> raw = h.inline() ? h.added() : SigningKeys.keysOf(SigningKeys.dataSet(h.source()));
    return raw.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).distinct().toList();
  }

  public OperatingMode mode() {
    return mode;
  }

  public String authservId() {
    return authservId;
  }

  public OnActions actions() {
    return actions;
  }

  public VerifierSettings verifierSettings() {
    return verifierSettings;
  }

  /** Whether a PeerList is configured (then connect needs a reply). */
  public boolean hasPeerList() {
    return peerList.isPresent();
  }

  /** The macro names MacroList reads. */
  public List<String> macroNames() {
    return macroList.stream().map(MacroRule::name).distinct().toList();
  }

  HostMatcher internalHosts() {
    return internalHosts;
  }

  Optional<HostMatcher> externalIgnoreList() {
    return externalIgnoreList;
  }

  Optional<HostMatcher> peerList() {
    return peerList;
  }

  List<MacroRule> macroList() {
    return macroList;
  }

  List<String> mtaNames() {
    return mtaNames;
  }

  SenderKeys keys() {
    return keys;
  }

  SignatureService signatures() {
    return signatures;
  }

  /**
   * A key this process holds, found again by the reference a choice gave (a signer node serving a
   * front-end); empty when it is not here.
   */
  public Optional<ChosenKey> heldKey(ChosenKey.KeyRef ref) throws SenderKeys.KeyChoiceException {
    return keys instanceof SigningKeys local ? local.find(ref) : Optional.empty();
  }

  /**
   * Calls {@code listener} after each key-mapping change the SigningDirectory pushes (a signer node
   * tells the front-ends).
   */
  public void onKeyChange(Runnable listener) {
    if (keys instanceof SigningKeys local) {
      local.onChange(listener);
    }
  }

  /** The keys of this process's own tables and directory, as a signer node offers them. */
  public SenderKeys senderKeys() {
    return keys;
  }

  Canonicalization.Pair canonicalization() {
    return canonicalization;
  }

  List<String> signedHeaders() {
    return signedHeaders;
  }

  List<String> oversignedHeaders() {
    return oversignedHeaders;
  }

  OptionalLong signatureTtl() {
    return signatureTtl;
  }

  boolean multipleSignatures() {
    return multipleSignatures;
  }

  boolean removeOldSignatures() {
    return removeOldSignatures;
  }

  DkimVerifier verifier() {
    return verifier;
  }

  boolean alwaysAddArHeader() {
    return alwaysAddArHeader;
  }

  /** SoftwareHeader: whether to add a DKIM-Filter field to signed and verified mail. */
  boolean softwareHeader() {
    return softwareHeader;
  }

  /** This host's name, for the DKIM-Filter field. */
  String hostName() {
    return hostName;
  }

  /** SenderHeaders, lower case, in order (OpenDKIM's default: From only). */
  List<String> senderHeaders() {
    return senderHeaders;
  }

  /** DontSignMailTo: mail to any of these recipients is not signed. */
  Optional<DataSet> dontSignMailTo() {
    return dontSignMailTo;
  }

  /**
   * ResignMailTo (opendkim.conf(5)): mail to a listed recipient is verified and signed again, with
   * the KeyTable key the entry names.
   */
  Optional<DataSet> resignMailTo() {
    return resignMailTo;
  }

  /** ResignAll: re-sign such mail even when no signature on it passed. */
  boolean resignAll() {
    return resignAll;
  }

  /** What to log: SyslogSuccess, LogWhy, LogResults. */
  LogSettings log() {
    return log;
  }

  /** MaximumHeaders: header bytes before On-Security applies; 0 for no limit. */
  int maximumHeaders() {
    return maximumHeaders;
  }

  /**
   * Whether the end-of-headers decision may block on a remote data set (SQL, LDAP, JE): a key table
   * or a host list; it then runs on {@link #lookups()}. False when every table is a file or a list.
   */
  boolean lookupsMayBlock() {
    return lookupsMayBlock;
  }

  Executor lookups() {
    return lookups;
  }

  Executor crypto() {
    return crypto;
  }

  PolicyMetrics metrics() {
    return metrics;
  }

  long now() {
    return clock.getAsLong();
  }
}
