package io.inkan.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Every key Inkan recognises, in two classes: {@link KeyClass#IMPLEMENTED} and {@link
 * KeyClass#NOT_IMPLEMENTED} (an OpenDKIM key accepted with one warning). Any other name is an
 * error. The OpenDKIM names are the whole {@code dkimf_config[]} table of OpenDKIM's {@code
 * opendkim/opendkim-config.h} (develop, 2.11), every compile-time option included, plus keys that
 * earlier OpenDKIM releases had and later removed. Names match case-insensitively.
 */
public final class ConfigKeys {

  /** How Inkan treats a key. */
  public enum KeyClass {
    IMPLEMENTED,
    NOT_IMPLEMENTED
  }

  /** A known key: its canonical spelling, class, and for unimplemented keys the reason. */
  public record Key(String name, KeyClass keyClass, String note) {}

  private static final Map<String, Key> KEYS = new LinkedHashMap<>();

  private static final String JVM = "the JVM daemon does not need it";
  private static final String SERVICE = "leave restarts and core dumps to the service manager";
  private static final String NOT_YET = "not implemented by Inkan";
  private static final String KEY_SERVICE =
      "SASL binds are not supported; use LDAPBindUser and LDAPBindPassword";
  private static final String LUA = "Lua policy scripts are not supported";
  private static final String REMOVED = "removed from OpenDKIM before 2.11";

  static {
    implemented(
        "AcceptSHA1",
        "AdminListen",
        "AdminTlsCertificate",
        "AdminTlsKey",
        "AdminTokenFile",
        "AlwaysAddARHeader",
        "AuthservID",
        "Canonicalization",
        "ClockDrift",
        "ClusterCAFile",
        "ClusterCertificate",
        "ClusterEventBus",
        "ClusterKey",
        "ClusterKeyCacheTTL",
        "ClusterListen",
        "ClusterMembers",
        "ClusterName",
        "ClusterRole",
        "ClusterSignAttempts",
        "ClusterSignTimeout",
        "DataSetCacheMaxEntries",
        "DataSetCacheTTL",
        "DataSetNegativeCacheTTL",
        "DNSTimeout",
        "Domain",
        "DontSignMailTo",
        "ExternalIgnoreList",
        "Include",
        "InternalHosts",
        "KeyFile",
        "KeyHealthInterval",
        "KeyTable",
        "LDAPBindPassword",
        "LDAPBindUser",
        "LDAPCACertificateFile",
        "LDAPDisableCache",
        "LDAPKeepaliveIdle",
        "LDAPKeepaliveInterval",
        "LDAPKeepaliveProbes",
        "LDAPTimeout",
        "LDAPUseTLS",
        "LogFormat",
        "LogResults",
        "LogWhy",
        "MacroList",
        "MaximumHeaders",
        "MaximumSignaturesToVerify",
        "MilterAllowedClients",
        "MilterMaxConnections",
        "MilterMessageDeadline",
        "MinimumKeyBits",
        "Mode",
        "MTA",
        "MultipleSignatures",
        "Nameservers",
        "OmitHeaders",
        "On-BadSignature",
        "On-Default",
        "On-DNSError",
        "On-InternalError",
        "On-KeyNotFound",
        "On-NoSignature",
        "On-Security",
        "On-SignatureError",
        "OversignHeaders",
        "PeerList",
        "PidFile",
        "QueryCache",
        "QueryCacheBackend",
        "QueryCacheMaxEntries",
        "QueryCacheMaxTTL",
        "QueryCacheMinTTL",
        "QueryCacheNegativeTTL",
        "QueryCacheSecretFile",
        "QueryCacheTempFailTTL",
        "QueryCacheTimeout",
        "RemoveOldSignatures",
        "RequireSafeKeys",
        "ResignAll",
        "ResignMailTo",
        "Selector",
        "SenderHeaders",
        "SignatureAlgorithm",
        "SignatureTTL",
        "SignHeaders",
        "SigningDirectory",
        "SigningTable",
        "Socket",
        "SoftStart",
        "SoftwareHeader",
        "SubDomains",
        "Syslog",
        "SyslogFacility",
        "SyslogSuccess",
        "TestDNSData",
        "TestPublicKeys",
        "TrustAnchorFile",
        "UMask",
        "UserID",
        "X-Header");
    notImplemented(
        JVM,
        "Background",
        "BaseDirectory",
        "ChangeRootDirectory",
        "DisableCryptoInit",
        "MilterDebug",
        "SyslogName",
        "TemporaryDirectory",
        "KeepTemporaryFiles",
        "StrictTestMode",
        "DNSConnect",
        "ResolverConfiguration",
        "ResolverTracing",
        "BogusKey",
        "UnprotectedKey");
    notImplemented(
        SERVICE, "AutoRestart", "AutoRestartCount", "AutoRestartRate", "EnableCoredumps");
    notImplemented(
        KEY_SERVICE, "LDAPAuthMechanism", "LDAPAuthName", "LDAPAuthRealm", "LDAPAuthUser");
    notImplemented(
        LUA,
        "FinalPolicyScript",
        "ScreenPolicyScript",
        "SetupPolicyScript",
        "StatisticsPolicyScript",
        "LuaOnlySigning");
    notImplemented(
        NOT_YET,
        "AllowSHA1Only",
        "ATPSDomains",
        "ATPSHashAlgorithm",
        "AuthservIDWithJobID",
        "BodyLengthDB",
        "CaptureUnknownErrors",
        "ConditionalSignatures",
        "DefaultSender",
        "Diagnostics",
        "DiagnosticDirectory",
        "DomainKeysCompat",
        "ExemptDomains",
        "FixCRLF",
        "FlowData",
        "FlowDataFactor",
        "FlowDataTTL",
        "IdentityHeader",
        "IdentityHeaderRemove",
        "IgnoreMalformedMail",
        "KeepAuthResults",
        "MaximumSignedBytes",
        "Minimum",
        "MTACommand",
        "MustBeSigned",
        "NoHeaderB",
        "On-ReputationError",
        "POPDBFile",
        "Quarantine",
        "RateLimits",
        "RedirectFailuresTo",
        "RemoveARAll",
        "RemoveARFrom",
        "ReplaceHeaders",
        "ReplaceRules",
        "ReportAddress",
        "ReportBccAddress",
        "ReputationCache",
        "ReputationCacheTTL",
        "ReputationDuplicates",
        "ReputationLimits",
        "ReputationLimitModifiers",
        "ReputationLowTime",
        "ReputationMinimum",
        "ReputationRatios",
        "ReputationRRDHashDepth",
        "ReputationRRDRoot",
        "ReputationSpamCheck",
        "ReputationTest",
        "ReputationTimeFactor",
        "ReputationTimeout",
        "ReputationVerbose",
        "RequestReports",
        "RequiredHeaders",
        "SelectCanonicalizationHeader",
        "SenderMacro",
        "SendReports",
        "SMTPURI",
        "Statistics",
        "StatisticsName",
        "StatisticsPrefix",
        "StrictHeaders",
        "TrustSignaturesFrom",
        "VBR-Certifiers",
        "VBR-PurgeFields",
        "VBR-TrustedCertifiers",
        "VBR-TrustedCertifiersOnly",
        "VBR-Type",
        "WeakSyntaxChecks");
    notImplemented(
        REMOVED,
        "ADSPAction",
        "ADSPDiscard",
        "ADSPNoSuchDomain",
        "AddAllSignatureResults",
        "AlwaysSignHeaders",
        "AnonymousDomains",
        "AnonymousStatistics",
        "BodyLengthDBFile",
        "BodyLengths",
        "BogusPolicy",
        "Commaize",
        "DisableADSP",
        "DKIMReputationFail",
        "DKIMReputationPass",
        "DKIMReputationReject",
        "DKIMReputationRoot",
        "InsecureKey",
        "InsecurePolicy",
        "KeyList",
        "LDAPSoftStart",
        "LocalADSP",
        "NoDiscardableMailTo",
        "NoLDAPCache",
        "OmitHeadersDB",
        "On-NoKey",
        "On-PolicyError",
        "On-SignatureMissing",
        "OversignHeader",
        "ReportIntervalDB",
        "ReputationFactor",
        "ReputationFail",
        "ReputationPass",
        "ReputationReject",
        "ReputationRoot",
        "ResolvConf",
        "ResolverConfigFile",
        "SelectorHeader",
        "SelectorHeaderRemove",
        "SendADSPReports",
        "SendmailCommand",
        "SigningPolicyScript",
        "SingleAuthResult",
        "Stdoutlog",
        "UnboundConfigFile",
        "UnprotectedPolicy",
        "VerifyingPolicyScript");
  }

  private ConfigKeys() {}

  private static void implemented(String... names) {
    for (String n : names) {
      put(new Key(n, KeyClass.IMPLEMENTED, ""));
    }
  }

  private static void notImplemented(String note, String... names) {
    for (String n : names) {
      put(new Key(n, KeyClass.NOT_IMPLEMENTED, note));
    }
  }

  private static void put(Key key) {
    if (KEYS.put(key.name().toLowerCase(Locale.ROOT), key) != null) {
      throw new IllegalStateException("key listed twice: " + key.name());
    }
  }

  /** The key named {@code name}, compared case-insensitively like OpenDKIM's strcasecmp. */
  public static Optional<Key> find(String name) {
    return Optional.ofNullable(KEYS.get(name.toLowerCase(Locale.ROOT)));
  }

  /** All keys of one class, in table order, for the README. */
  public static List<Key> of(KeyClass keyClass) {
    return KEYS.values().stream().filter(k -> k.keyClass() == keyClass).toList();
  }

  /** All known keys. */
  public static Map<String, Key> all() {
    return Collections.unmodifiableMap(KEYS);
  }

  /** The known key closest to a misspelt name, for the error message. */
  static Optional<String> closest(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Map.Entry<String, Key> e : KEYS.entrySet()) {
      int d = distance(lower, e.getKey());
      if (d < bestDistance) {
        bestDistance = d;
        best = e.getValue().name();
      }
    }
    return bestDistance <= Math.max(2, lower.length() / 4) ? Optional.of(best) : Optional.empty();
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
