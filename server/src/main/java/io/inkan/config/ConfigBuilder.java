package io.inkan.config;

import io.inkan.cache.CacheBackendSpec;
import io.inkan.config.DnsSettings.Located;
import io.inkan.config.DnsSettings.QueryCacheSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Turns implemented {@link ConfigLine}s into a {@link Config}. Each line is validated when it is
 * applied; a later line for the same key replaces an earlier one (OpenDKIM's {@code config_get()}
 * returns the last one read).
 */
final class ConfigBuilder {
  private static final String NON_NEGATIVE = "a non-negative integer";
  private static final Set<String> FACILITIES =
      Set.of(
          "auth",
          "cron",
          "daemon",
          "kern",
          "lpr",
          "mail",
          "news",
          "security",
          "syslog",
          "user",
          "uucp",
          "local0",
          "local1",
          "local2",
          "local3",
          "local4",
          "local5",
          "local6",
          "local7");

  private enum On {
    BAD_SIGNATURE,
    DNS_ERROR,
    INTERNAL_ERROR,
    KEY_NOT_FOUND,
    NO_SIGNATURE,
    SECURITY,
    SIGNATURE_ERROR
  }

  private final List<ConfigWarning> warnings = new ArrayList<>();

  private OperatingMode mode = OperatingMode.SIGN_AND_VERIFY;
  private Optional<SocketSpec> socket = Optional.empty();
  private Optional<Path> pidFile = Optional.empty();
  private Optional<UserId> userId = Optional.empty();
  private OptionalInt umask = OptionalInt.empty();
  private boolean softwareHeader;
  private boolean xHeader;
  private Optional<DataSetRef> milterAllowedClients = Optional.empty();

  private int maximumHeaders = LimitSettings.DEFAULTS.maximumHeaders();
  private int maxConnections = LimitSettings.DEFAULTS.maxConnections();
  private int messageDeadline = LimitSettings.DEFAULTS.messageDeadlineSeconds();
  private int keyHealthInterval = LimitSettings.DEFAULTS.keyHealthIntervalSeconds();

  private Optional<String> ldapBindUser = Optional.empty();
  private Optional<String> ldapBindPassword = Optional.empty();
  private boolean ldapUseTls;
  private Optional<Path> ldapCaFile = Optional.empty();
  private int ldapTimeout = DataSetSettings.DEFAULTS.ldapTimeoutSeconds();
  private int ldapKeepaliveIdle;
  private int ldapKeepaliveInterval;
  private int ldapKeepaliveProbes;
  private boolean ldapDisableCache;
  private boolean softStart;
  private int dataSetCacheTtl = DataSetSettings.DEFAULTS.cacheTtlSeconds();
  private int dataSetNegativeCacheTtl = DataSetSettings.DEFAULTS.negativeCacheTtlSeconds();
  private int dataSetCacheMaxEntries = DataSetSettings.DEFAULTS.cacheMaxEntries();

  private boolean syslog;
  private boolean syslogSuccess;
  private boolean logWhy;
  private boolean logResults;
  private String facility = "mail";
  private LogSettings.Format logFormat = LogSettings.Format.TEXT;

  private Optional<DataSetRef> domain = Optional.empty();
  private Optional<String> selector = Optional.empty();
  private Optional<Path> keyFile = Optional.empty();
  private Optional<DataSetRef> keyTable = Optional.empty();
  private Optional<DataSetRef> signingTable = Optional.empty();
  private Optional<DataSetRef> signingDirectory = Optional.empty();
  private boolean subDomains;
  private CanonicalizationSetting canonicalization = CanonicalizationSetting.DEFAULT;
  private SigningAlgorithm algorithm = SigningAlgorithm.RSA_SHA256;
  private Optional<HeaderList> signHeaders = Optional.empty();
  private Optional<HeaderList> omitHeaders = Optional.empty();
  private Optional<HeaderList> oversignHeaders = Optional.empty();
  private Optional<HeaderList> senderHeaders = Optional.empty();
  private OptionalInt signatureTtl = OptionalInt.empty();
  private boolean multipleSignatures;
  private boolean removeOldSignatures;
  private Optional<DataSetRef> dontSignMailTo = Optional.empty();
  private boolean resignAll;
  private Optional<DataSetRef> resignMailTo = Optional.empty();
  private boolean requireSafeKeys = true;

  private DataSetRef internalHosts = HostSettings.DEFAULT_INTERNAL_HOSTS;
  private Optional<DataSetRef> externalIgnoreList = Optional.empty();
  private Optional<DataSetRef> peerList = Optional.empty();
  private Optional<DataSetRef> macroList = Optional.empty();
  private Optional<DataSetRef> mta = Optional.empty();

  private int minimumKeyBits = 1024;
  private int maximumSignaturesToVerify = 3;
  private int clockDrift = 300;
  private String authservId = VerifySettings.HOSTNAME;
  private boolean alwaysAddArHeader;
  private boolean acceptSha1;

  private MilterAction onDefault;
  private final Map<On, MilterAction> on = new EnumMap<>(On.class);

  private List<Nameserver> nameservers = List.of();
  private int dnsTimeout = 5;
  private Optional<Path> testPublicKeys = Optional.empty();
  private Optional<DataSetRef> testDnsData = Optional.empty();
  private boolean queryCache;
  private Optional<Located<Path>> trustAnchorFile = Optional.empty();
  private Optional<Located<CacheBackendSpec>> queryCacheBackend = Optional.empty();
  private Optional<Located<Path>> queryCacheSecretFile = Optional.empty();
  private int queryCacheTimeout = QueryCacheSettings.DEFAULTS.timeoutMillis();
  private int queryCacheMaxEntries = QueryCacheSettings.DEFAULTS.maxEntries();
  private int queryCacheMinTtl = QueryCacheSettings.DEFAULTS.minTtlSeconds();
  private int queryCacheMaxTtl = QueryCacheSettings.DEFAULTS.maxTtlSeconds();
  private boolean queryCacheMinTtlSet;
  private boolean queryCacheMaxTtlSet;
  private int queryCacheNegativeTtl = QueryCacheSettings.DEFAULTS.negativeTtlSeconds();
  private int queryCacheTempFailTtl = QueryCacheSettings.DEFAULTS.tempFailTtlSeconds();

  private AdminSettings admin = AdminSettings.OFF;
  private final ClusterSettings.Builder cluster = new ClusterSettings.Builder();

  List<ConfigWarning> warnings() {
    return warnings;
  }

  void apply(ConfigLine l) throws ConfigException {
    switch (l.key()) {
      case "Mode" -> mode = OperatingMode.parse(l);
      case "Socket" -> socket = Optional.of(SocketSpec.parse(l));
      case "PidFile" -> pidFile = Optional.of(l.path());
      case "UserID" -> userId = Optional.of(UserId.parse(l));
      case "UMask" -> umask = OptionalInt.of(umask(l));
      case "SoftwareHeader" -> softwareHeader = l.bool();
      case "X-Header" -> {
        xHeader = l.bool();
        warnings.add(l.warn("deprecated in OpenDKIM; use SoftwareHeader"));
      }
      case "MilterAllowedClients" -> milterAllowedClients = Optional.of(l.dataSet());
      case "LDAPBindUser" -> ldapBindUser = Optional.of(l.value());
      case "LDAPBindPassword" -> ldapBindPassword = Optional.of(l.value());
      case "LDAPUseTLS" -> ldapUseTls = l.bool();
      case "LDAPCACertificateFile" -> ldapCaFile = Optional.of(l.path());
      case "LDAPTimeout" -> ldapTimeout = l.integer(1, 3600, "seconds from 1 to 3600");
      case "LDAPKeepaliveIdle" -> ldapKeepaliveIdle = l.integer(0, 86400, "seconds (0: default)");
      case "LDAPKeepaliveInterval" ->
          ldapKeepaliveInterval = l.integer(0, 86400, "seconds (0: default)");
      case "LDAPKeepaliveProbes" ->
          ldapKeepaliveProbes = l.integer(0, 1000, "a number of probes (0: default)");
      case "LDAPDisableCache" -> ldapDisableCache = l.bool();
      case "SoftStart" -> softStart = l.bool();
      case "DataSetCacheTTL" ->
          dataSetCacheTtl = l.integer(0, 86400, "seconds from 0 (no cache) to 86400");
      case "DataSetCacheMaxEntries" ->
          dataSetCacheMaxEntries = l.integer(1, 100_000_000, "a number of entries from 1");
      case "DataSetNegativeCacheTTL" ->
          dataSetNegativeCacheTtl = l.integer(0, 86400, "seconds from 0 (no cache) to 86400");
      case "MaximumHeaders" ->
          maximumHeaders = l.integer(0, Integer.MAX_VALUE, "a byte count (0: no limit)");
      case "MilterMaxConnections" ->
          maxConnections = l.integer(1, 1_000_000, "a number of connections from 1 to 1000000");
      case "MilterMessageDeadline" ->
          messageDeadline = l.integer(1, 3600, "seconds from 1 to 3600");
      case "KeyHealthInterval" ->
          keyHealthInterval = l.integer(0, 604800, "seconds from 0 (off) to 604800");
      case "Syslog" -> syslog = l.bool();
      case "SyslogSuccess" -> syslogSuccess = l.bool();
      case "LogWhy" -> logWhy = l.bool();
      case "LogResults" -> logResults = l.bool();
      case "SyslogFacility" -> facility = facility(l);
      case "LogFormat" -> logFormat = logFormat(l);
      case "AdminListen" -> admin = admin.withListen(AdminSettings.listen(l));
      case "AdminTokenFile" -> admin = admin.withTokenFile(l.path());
      case "AdminTlsCertificate" -> admin = admin.withTlsCertificate(l.path());
      case "AdminTlsKey" -> admin = admin.withTlsKey(l.path());
      default -> {
        if (ClusterSettings.isClusterKey(l.key())) {
          cluster.apply(l);
        } else {
          applySigning(l);
        }
      }
    }
  }

  private void applySigning(ConfigLine l) throws ConfigException {
    switch (l.key()) {
      case "Domain" -> domain = Optional.of(l.dataSet());
      case "Selector" -> selector = Optional.of(selector(l));
      case "KeyFile" -> keyFile = Optional.of(l.path());
      case "KeyTable" -> keyTable = Optional.of(l.dataSet());
      case "SigningTable" -> signingTable = Optional.of(l.dataSet());
      case "SigningDirectory" -> signingDirectory = Optional.of(l.dataSet());
      case "SubDomains" -> subDomains = l.bool();
      case "Canonicalization" -> canonicalization = CanonicalizationSetting.parse(l);
      case "SignatureAlgorithm" -> algorithm = SigningAlgorithm.parse(l);
      case "SignHeaders" -> signHeaders = Optional.of(HeaderList.parse(l, true));
      case "OmitHeaders" -> omitHeaders = Optional.of(HeaderList.parse(l, true));
      case "OversignHeaders" -> oversignHeaders = Optional.of(HeaderList.parse(l, false));
      case "SenderHeaders" -> senderHeaders = Optional.of(HeaderList.parse(l, false));
      case "SignatureTTL" -> {
        int ttl = l.integer(0, Integer.MAX_VALUE, NON_NEGATIVE + " (seconds; 0: no x= tag)");
        signatureTtl = ttl == 0 ? OptionalInt.empty() : OptionalInt.of(ttl);
      }
      case "MultipleSignatures" -> multipleSignatures = l.bool();
      case "RemoveOldSignatures" -> removeOldSignatures = l.bool();
      case "DontSignMailTo" -> dontSignMailTo = Optional.of(l.dataSet());
      case "ResignAll" -> resignAll = l.bool();
      case "ResignMailTo" -> resignMailTo = Optional.of(l.dataSet());
      case "RequireSafeKeys" -> requireSafeKeys = l.bool();
      default -> applyVerifying(l);
    }
  }

  private void applyVerifying(ConfigLine l) throws ConfigException {
    switch (l.key()) {
      case "InternalHosts" -> internalHosts = l.dataSet();
      case "ExternalIgnoreList" -> externalIgnoreList = Optional.of(l.dataSet());
      case "PeerList" -> peerList = Optional.of(l.dataSet());
      case "MacroList" -> macroList = Optional.of(l.dataSet());
      case "MTA" -> mta = Optional.of(l.dataSet());
      case "MinimumKeyBits" ->
          minimumKeyBits = l.integer(0, 65536, NON_NEGATIVE + " up to 65536 (bits; 0: any size)");
      case "MaximumSignaturesToVerify" ->
          maximumSignaturesToVerify =
              l.integer(0, Integer.MAX_VALUE, NON_NEGATIVE + " (0: no limit)");
      case "ClockDrift" ->
          clockDrift = l.integer(0, Integer.MAX_VALUE, NON_NEGATIVE + " (seconds)");
      case "AuthservID" -> authservId = authservId(l);
      case "AlwaysAddARHeader" -> alwaysAddArHeader = l.bool();
      case "AcceptSHA1" -> acceptSha1 = l.bool();
      case "On-Default" -> onDefault = MilterAction.parse(l);
      case "On-BadSignature" -> on.put(On.BAD_SIGNATURE, MilterAction.parse(l));
      case "On-DNSError" -> on.put(On.DNS_ERROR, MilterAction.parse(l));
      case "On-InternalError" -> on.put(On.INTERNAL_ERROR, MilterAction.parse(l));
      case "On-KeyNotFound" -> on.put(On.KEY_NOT_FOUND, MilterAction.parse(l));
      case "On-NoSignature" -> on.put(On.NO_SIGNATURE, MilterAction.parse(l));
      case "On-Security" -> on.put(On.SECURITY, MilterAction.parse(l));
      case "On-SignatureError" -> on.put(On.SIGNATURE_ERROR, MilterAction.parse(l));
      case "Nameservers" -> nameservers = Nameserver.parseList(l);
      case "DNSTimeout" ->
          dnsTimeout = l.integer(0, Integer.MAX_VALUE, NON_NEGATIVE + " (seconds; 0: no timeout)");
      case "TestPublicKeys" -> testPublicKeys = Optional.of(l.path());
      case "TestDNSData" -> testDnsData = Optional.of(l.dataSet());
      case "QueryCache" -> queryCache = l.bool();
      case "TrustAnchorFile" -> trustAnchorFile = Optional.of(located(l.path(), l));
      default -> applyQueryCache(l);
    }
  }

  /** Inkan's query-cache keys; QueryCacheMinTTL and QueryCacheMaxTTL checked against each other. */
  private void applyQueryCache(ConfigLine l) throws ConfigException {
    switch (l.key()) {
      case "QueryCacheBackend" -> queryCacheBackend = Optional.of(located(backend(l), l));
      case "QueryCacheSecretFile" -> queryCacheSecretFile = Optional.of(located(l.path(), l));
      case "QueryCacheTimeout" ->
          queryCacheTimeout = l.integer(1, 10_000, "milliseconds from 1 to 10000");
      case "QueryCacheMaxEntries" ->
          queryCacheMaxEntries =
              l.integer(1, 100_000_000, "a number of answers from 1 to 100000000");
      case "QueryCacheMinTTL" -> {
        long max = queryCacheMaxTtlSet ? queryCacheMaxTtl : 86400;
        queryCacheMinTtl = l.integer(0, max, "seconds from 0 to " + max + maxTtlNote());
        queryCacheMinTtlSet = true;
      }
      case "QueryCacheMaxTTL" -> {
        long min = Math.max(1, queryCacheMinTtlSet ? queryCacheMinTtl : 1);
        queryCacheMaxTtl =
            l.integer(min, 604800, "seconds from " + min + minTtlNote() + " to 604800");
        queryCacheMaxTtlSet = true;
      }
      case "QueryCacheNegativeTTL" ->
          queryCacheNegativeTtl =
              l.integer(0, 86400, "seconds from 0 (no negative caching) to 86400");
      case "QueryCacheTempFailTTL" ->
          queryCacheTempFailTtl =
              l.integer(0, 300, "seconds from 0 (never) to 300 (RFC 2308 §7: at most 5 minutes)");
      default -> throw new IllegalStateException("implemented key without a parser: " + l.key());
    }
  }

  private String maxTtlNote() {
    return queryCacheMaxTtlSet ? " (QueryCacheMaxTTL)" : "";
  }

  private String minTtlNote() {
    return queryCacheMinTtlSet ? " (QueryCacheMinTTL)" : "";
  }

  private static <T> Located<T> located(T value, ConfigLine l) {
    return new Located<>(value, l.file(), l.line());
  }

  private static CacheBackendSpec backend(ConfigLine l) throws ConfigException {
    try {
      return CacheBackendSpec.parse(l.value());
    } catch (IllegalArgumentException e) {
      throw l.fail(
          "bdb:/absolute/directory or memcache:host:port,host:port (" + e.getMessage() + ")");
    }
  }

  Config build() {
    OnActions base = onDefault == null ? OnActions.DEFAULTS : OnActions.all(onDefault);
    OnActions actions =
        new OnActions(
            on.getOrDefault(On.BAD_SIGNATURE, base.badSignature()),
            on.getOrDefault(On.DNS_ERROR, base.dnsError()),
            on.getOrDefault(On.INTERNAL_ERROR, base.internalError()),
            on.getOrDefault(On.KEY_NOT_FOUND, base.keyNotFound()),
            on.getOrDefault(On.NO_SIGNATURE, base.noSignature()),
            on.getOrDefault(On.SECURITY, base.security()),
            on.getOrDefault(On.SIGNATURE_ERROR, base.signatureError()));
    return new Config(
        new ServiceSettings(
            mode, socket, pidFile, userId, umask, softwareHeader || xHeader, milterAllowedClients),
        new LogSettings(syslog, syslogSuccess, logWhy, logResults, facility, logFormat),
        new SigningSettings(
            domain,
            selector,
            keyFile,
            keyTable,
            signingTable,
            subDomains,
            canonicalization,
            algorithm,
            signHeaders,
            omitHeaders,
            oversignHeaders,
            senderHeaders,
            signatureTtl,
            multipleSignatures,
            removeOldSignatures,
            dontSignMailTo,
            resignAll,
            resignMailTo,
            requireSafeKeys,
            signingDirectory),
        new HostSettings(internalHosts, externalIgnoreList, peerList, macroList, mta),
        new VerifySettings(
            minimumKeyBits,
            maximumSignaturesToVerify,
            clockDrift,
            authservId,
            alwaysAddArHeader,
            acceptSha1),
        actions,
        new DnsSettings(
            nameservers,
            dnsTimeout,
            testPublicKeys,
            testDnsData,
            queryCache,
            new QueryCacheSettings(
                queryCacheBackend,
                queryCacheSecretFile,
                queryCacheTimeout,
                queryCacheMaxEntries,
                // A default minimum above an explicit maximum yields to it.
                Math.min(queryCacheMinTtl, queryCacheMaxTtl),
                queryCacheMaxTtl,
                queryCacheNegativeTtl,
                queryCacheTempFailTtl),
            trustAnchorFile),
        new LimitSettings(maximumHeaders, maxConnections, messageDeadline, keyHealthInterval),
        new DataSetSettings(
            ldapBindUser,
            ldapBindPassword,
            ldapUseTls,
            ldapCaFile,
            ldapTimeout,
            ldapKeepaliveIdle,
            ldapKeepaliveInterval,
            ldapKeepaliveProbes,
            ldapDisableCache,
            softStart,
            dataSetCacheTtl,
            dataSetNegativeCacheTtl,
            dataSetCacheMaxEntries),
        admin,
        cluster.build());
  }

  /**
   * {@code UMask} in octal. OpenDKIM reads it with {@code strtol(value, NULL, 0)}, so {@code 022}
   * is octal but {@code 22} would be decimal 22 (octal 026); to never differ silently, a value of
   * more than one digit must start with 0.
   */
  private static int umask(ConfigLine l) throws ConfigException {
    String v = l.value();
    if (!v.matches("0[0-7]{1,3}|[0-7]")) {
      throw l.fail("an octal mask from 0 to 0777 written with a leading 0 (e.g. 007, 022)");
    }
    return Integer.parseInt(v, 8);
  }

  private static String facility(ConfigLine l) throws ConfigException {
    String f = l.value().toLowerCase(Locale.ROOT);
    if (!FACILITIES.contains(f)) {
      throw l.fail("a syslog facility (mail, daemon, user, local0 ... local7, auth, ...)");
    }
    return f;
  }

  private static LogSettings.Format logFormat(ConfigLine l) throws ConfigException {
    return switch (l.value().toLowerCase(Locale.ROOT)) {
      case "text" -> LogSettings.Format.TEXT;
      case "json" -> LogSettings.Format.JSON;
      default -> throw l.fail("text or json");
    };
  }

  private static String selector(ConfigLine l) throws ConfigException {
    if (!l.value().matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*")) {
      throw l.fail("a selector: DNS labels separated by dots (RFC 6376 §3.1)");
    }
    return l.value();
  }

  private static String authservId(ConfigLine l) throws ConfigException {
    if (l.value().chars().anyMatch(c -> c <= ' ' || c >= 127 || c == ';')) {
      throw l.fail("HOSTNAME or an authserv-id without blanks or ';' (RFC 8601 §2.2)");
    }
    return l.value();
  }
}
