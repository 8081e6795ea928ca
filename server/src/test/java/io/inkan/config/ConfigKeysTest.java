package io.inkan.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.config.ConfigKeys.KeyClass;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigKeysTest {

  /** The keys the issue requires, every one implemented. */
  @Test
  void requiredKeysAreImplemented() {
    List<String> required =
        List.of(
            "PidFile",
            "Mode",
            "Syslog",
            "SyslogSuccess",
            "LogWhy",
            "UserID",
            "Socket",
            "Umask",
            "Canonicalization",
            "Domain",
            "Selector",
            "KeyFile",
            "KeyTable",
            "SigningTable",
            "ExternalIgnoreList",
            "InternalHosts",
            "SubDomains",
            "SignatureAlgorithm",
            "SignHeaders",
            "OmitHeaders",
            "OversignHeaders",
            "SignatureTTL",
            "MultipleSignatures",
            "RemoveOldSignatures",
            "MinimumKeyBits",
            "MaximumSignaturesToVerify",
            "ClockDrift",
            "AuthservID",
            "AlwaysAddARHeader",
            "On-Default",
            "On-BadSignature",
            "On-DNSError",
            "On-InternalError",
            "On-KeyNotFound",
            "On-NoSignature",
            "On-Security",
            "On-SignatureError",
            "PeerList",
            "MacroList",
            "MTA",
            "SenderHeaders",
            "DontSignMailTo",
            "ResignAll",
            "ResignMailTo",
            "Nameservers",
            "DNSTimeout",
            "TestPublicKeys",
            "TestDNSData",
            "RequireSafeKeys",
            "SoftwareHeader",
            "SyslogFacility",
            "LogResults",
            "AcceptSHA1",
            "MilterAllowedClients",
            "MilterMaxConnections",
            "MilterMessageDeadline",
            "KeyHealthInterval",
            "MaximumHeaders",
            "DataSetCacheMaxEntries",
            "DataSetCacheTTL",
            "DataSetNegativeCacheTTL",
            "LDAPBindPassword",
            "LDAPBindUser",
            "LDAPCACertificateFile",
            "LDAPDisableCache",
            "LDAPKeepaliveIdle",
            "LDAPKeepaliveInterval",
            "LDAPKeepaliveProbes",
            "LDAPTimeout",
            "LDAPUseTLS",
            "SoftStart",
            "SigningDirectory",
            "QueryCache",
            "QueryCacheBackend",
            "QueryCacheSecretFile",
            "QueryCacheTimeout",
            "QueryCacheMaxEntries",
            "QueryCacheMinTTL",
            "QueryCacheMaxTTL",
            "QueryCacheNegativeTTL",
            "QueryCacheTempFailTTL",
            "TrustAnchorFile",
            "Include",
            "AdminListen",
            "AdminTokenFile",
            "AdminTlsCertificate",
            "AdminTlsKey",
            "LogFormat",
            "ClusterRole",
            "ClusterName",
            "ClusterListen",
            "ClusterMembers",
            "ClusterEventBus",
            "ClusterCertificate",
            "ClusterKey",
            "ClusterCAFile",
            "ClusterSignTimeout",
            "ClusterSignAttempts",
            "ClusterKeyCacheTTL");
    for (String k : required) {
      assertThat(ConfigKeys.find(k))
          .as(k)
          .hasValueSatisfying(key -> assertThat(key.keyClass()).isEqualTo(KeyClass.IMPLEMENTED));
    }
    assertThat(ConfigKeys.of(KeyClass.IMPLEMENTED)).hasSize(required.size() + 1); // + X-Header
  }

  /** Keys the issue names as accepted-with-a-warning. */
  @Test
  void daemonOnlyKeysWarn() {
    for (String k :
        List.of(
            "Background",
            "AutoRestart",
            "AutoRestartCount",
            "AutoRestartRate",
            "EnableCoredumps",
            "SendReports",
            "ReportAddress",
            "ReportBccAddress",
            "Statistics",
            "StatisticsName",
            "SetupPolicyScript",
            "FinalPolicyScript",
            "ScreenPolicyScript",
            "ReputationLimits",
            "ATPSDomains",
            "VBR-Type",
            "BodyLengthDB",
            "Diagnostics",
            "DiagnosticDirectory",
            "LDAPAuthMechanism",
            "UnboundConfigFile")) {
      assertThat(ConfigKeys.find(k))
          .as(k)
          .hasValueSatisfying(
              key -> assertThat(key.keyClass()).isEqualTo(KeyClass.NOT_IMPLEMENTED));
    }
  }

  @Test
  void lookupIsCaseInsensitiveAndCanonical() {
    assertThat(ConfigKeys.find("oversignheaders").orElseThrow().name())
        .isEqualTo("OversignHeaders");
    assertThat(ConfigKeys.find("Sellector")).isEmpty();
    assertThat(ConfigKeys.closest("Sellector")).contains("Selector");
    assertThat(ConfigKeys.closest("completely-different")).isEmpty();
  }

  @Test
  void everyKeyHasAClassAndUnimplementedOnesAReason() {
    assertThat(ConfigKeys.all()).hasSizeGreaterThan(200);
    assertThat(ConfigKeys.of(KeyClass.NOT_IMPLEMENTED))
        .allSatisfy(k -> assertThat(k.note()).isNotBlank());
  }
}
