package io.inkan.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigValuesTest {
  @TempDir Path dir;
  ConfigFiles files;

  @BeforeEach
  void setUp() {
    files = new ConfigFiles(dir);
  }

  @Test
  void mode() throws Exception {
    assertThat(files.config("Mode vs").service().mode()).isEqualTo(new OperatingMode(true, true));
    assertThat(files.config("Mode s").service().mode().toString()).isEqualTo("s");
    assertThat(files.error("Mode sx")).isEqualTo("t.conf:1: Mode: s, v or sv, got sx");
    assertThat(files.error("Mode SV")).isEqualTo("t.conf:1: Mode: s, v or sv, got SV");
  }

  @Test
  void sockets() throws Exception {
    assertThat(files.config("Socket inet:8891@localhost").service().socket())
        .contains(new SocketSpec.Inet(false, Optional.of("localhost"), 8891));
    assertThat(files.config("Socket inet:8891").service().socket())
        .contains(new SocketSpec.Inet(false, Optional.empty(), 8891));
    assertThat(files.config("Socket inet:8891@[127.0.0.1]").service().socket())
        .contains(new SocketSpec.Inet(false, Optional.of("127.0.0.1"), 8891));
    assertThat(files.config("Socket inet6:8891@[::1]").service().socket())
        .contains(new SocketSpec.Inet(true, Optional.of("::1"), 8891));
    assertThat(files.config("Socket local:/run/o.sock").service().socket())
        .contains(new SocketSpec.Local(Path.of("/run/o.sock")));
    assertThat(files.config("Socket unix:/run/o.sock").service().socket())
        .contains(new SocketSpec.Local(Path.of("/run/o.sock")));
    assertThat(files.config("Socket /run/o.sock").service().socket())
        .contains(new SocketSpec.Local(Path.of("/run/o.sock")));
  }

  @Test
  void loopbackJudgedByText() {
    assertThat(new SocketSpec.Inet(false, Optional.of("127.0.0.1"), 1).isLoopback()).isTrue();
    assertThat(new SocketSpec.Inet(true, Optional.of("::1"), 1).isLoopback()).isTrue();
    assertThat(new SocketSpec.Inet(false, Optional.of("LocalHost"), 1).isLoopback()).isTrue();
    assertThat(new SocketSpec.Inet(false, Optional.of("192.0.2.1"), 1).isLoopback()).isFalse();
    assertThat(new SocketSpec.Inet(false, Optional.empty(), 1).isLoopback()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "tcp:8891@localhost| (none)",
        "inet:| (PORT 1-65535)",
        "inet:0@localhost| (PORT 1-65535)",
        "inet:65536| (PORT 1-65535)",
        "inet:smtp@localhost| (PORT 1-65535)",
        "inet:8891@| (HOST a name or an address)",
        "inet6:8891@[]| (HOST a name or an address)",
        "local:| (none)"
      })
  void badSockets(String value, String detail) {
    String suffix = detail.equals("(none)") ? "" : " " + detail;
    assertThat(files.error("Socket " + value))
        .isEqualTo(
            "t.conf:1: Socket: inet:PORT@HOST, inet:PORT, inet6:PORT@HOST, local:/path,"
                + " unix:/path or a path"
                + suffix
                + ", got "
                + value);
  }

  @Test
  void userId() throws Exception {
    assertThat(files.config("UserID opendkim").service().userId())
        .contains(new UserId("opendkim", Optional.empty()));
    assertThat(files.config("UserID opendkim:mail").service().userId())
        .contains(new UserId("opendkim", Optional.of("mail")));
    assertThat(files.error("UserID opendkim:"))
        .isEqualTo("t.conf:1: UserID: user or user:group, got opendkim:");
    assertThat(files.error("UserID :g")).isEqualTo("t.conf:1: UserID: user or user:group, got :g");
    assertThat(files.error("UserID a:b:c"))
        .isEqualTo("t.conf:1: UserID: user or user:group, got a:b:c");
  }

  @Test
  void umask() throws Exception {
    assertThat(files.config("UMask 007").service().umask()).hasValue(7);
    assertThat(files.config("Umask 022").service().umask()).hasValue(0_22);
    assertThat(files.config("UMask 0777").service().umask()).hasValue(0777);
    assertThat(files.config("UMask 0").service().umask()).hasValue(0);
    String expected = "an octal mask from 0 to 0777 written with a leading 0 (e.g. 007, 022)";
    assertThat(files.error("UMask 22")).isEqualTo("t.conf:1: UMask: " + expected + ", got 22");
    assertThat(files.error("UMask 008")).isEqualTo("t.conf:1: UMask: " + expected + ", got 008");
    assertThat(files.error("UMask 01777"))
        .isEqualTo("t.conf:1: UMask: " + expected + ", got 01777");
  }

  @Test
  void canonicalization() throws Exception {
    CanonicalizationSetting.Method relaxed = CanonicalizationSetting.Method.RELAXED;
    CanonicalizationSetting.Method simple = CanonicalizationSetting.Method.SIMPLE;
    assertThat(files.config("Canonicalization relaxed/simple").signing().canonicalization())
        .isEqualTo(new CanonicalizationSetting(relaxed, simple));
    assertThat(files.config("Canonicalization relaxed").signing().canonicalization())
        .isEqualTo(new CanonicalizationSetting(relaxed, simple));
    assertThat(files.config("Canonicalization Simple/Relaxed").signing().canonicalization())
        .isEqualTo(new CanonicalizationSetting(simple, relaxed));
    String expected = "simple, relaxed, or HEADER/BODY of those (e.g. relaxed/simple)";
    assertThat(files.error("Canonicalization relaxed/"))
        .isEqualTo("t.conf:1: Canonicalization: " + expected + ", got relaxed/");
    assertThat(files.error("Canonicalization nofws"))
        .isEqualTo("t.conf:1: Canonicalization: " + expected + ", got nofws");
  }

  @Test
  void signatureAlgorithm() throws Exception {
    assertThat(files.config("SignatureAlgorithm ed25519-sha256").signing().algorithm())
        .isEqualTo(SigningAlgorithm.ED25519_SHA256);
    assertThat(files.config("SignatureAlgorithm RSA-SHA256").signing().algorithm())
        .isEqualTo(SigningAlgorithm.RSA_SHA256);
    assertThat(files.error("SignatureAlgorithm rsa-sha1"))
        .isEqualTo(
            "t.conf:1: SignatureAlgorithm: rsa-sha256 or ed25519-sha256 (RFC 8301 §3.1: signers"
                + " MUST NOT sign with rsa-sha1), got rsa-sha1");
    assertThat(files.error("SignatureAlgorithm ecdsa"))
        .isEqualTo("t.conf:1: SignatureAlgorithm: rsa-sha256 or ed25519-sha256, got ecdsa");
  }

  @Test
  void dataSetsStayUnresolved() throws Exception {
    Config c =
        files.config(
            "KeyTable refile:/etc/opendkim/KeyTable\nSigningTable file:signing\n"
                + "Domain example.com, example.net\nPeerList /etc/peers\nMacroList daemon_name|MTA\n"
                + "MilterAllowedClients 192.0.2.25, 192.0.2.26\n");
    DataSetRef keyTable = c.signing().keyTable().orElseThrow();
    assertThat(keyTable)
        .isEqualTo(
            new DataSetRef("refile:/etc/opendkim/KeyTable", dir.resolve("t.conf").toString(), 1));
    assertThat(keyTable.kind()).isEqualTo(DataSetRef.Kind.REFILE);
    assertThat(keyTable.body()).isEqualTo("/etc/opendkim/KeyTable");
    assertThat(c.signing().signingTable().orElseThrow().kind()).isEqualTo(DataSetRef.Kind.FILE);
    assertThat(c.signing().domain().orElseThrow().kind()).isEqualTo(DataSetRef.Kind.CSL);
    assertThat(c.hosts().peerList().orElseThrow().kind()).isEqualTo(DataSetRef.Kind.FILE);
    assertThat(c.hosts().macroList().orElseThrow().line()).isEqualTo(5);
    assertThat(c.service().milterAllowedClients().orElseThrow().spec())
        .isEqualTo("192.0.2.25, 192.0.2.26");
  }

  @ParameterizedTest
  @CsvSource({
    "csl:a,CSL,a",
    "db:/x.db,DB,/x.db",
    "/var/x.db,DB,/var/x.db",
    "dsn:mysql://u@h/d,DSN,mysql://u@h/d",
    "ldap://h/dc=x,LDAP,ldap://h/dc=x",
    "ldaps://h,LDAP,ldaps://h",
    "ldapi:///,LDAP,ldapi:///",
    "FILE:/x,FILE,/x",
    "lua:/s.lua,LUA,/s.lua",
    "memcache:h/k,MEMCACHE,h/k",
    "x:y,CSL,x:y"
  })
  void dataSetKinds(String spec, DataSetRef.Kind kind, String body) {
    DataSetRef ref = new DataSetRef(spec, "f", 1);
    assertThat(ref.kind()).isEqualTo(kind);
    assertThat(ref.body()).isEqualTo(body);
  }

  @Test
  void selector() throws Exception {
    assertThat(files.config("Selector 2020.mail").signing().selector()).contains("2020.mail");
    assertThat(files.error("Selector a b"))
        .isEqualTo(
            "t.conf:1: Selector: a selector: DNS labels separated by dots (RFC 6376 §3.1), got a b");
  }

  @Test
  void integers() throws Exception {
    Config c =
        files.config(
            "SignatureTTL 86400\nMinimumKeyBits 2048\nMaximumSignaturesToVerify 0\nClockDrift 0x10\n"
                + "DNSTimeout 010\n");
    assertThat(c.signing().signatureTtl()).hasValue(86400);
    assertThat(c.verifying().minimumKeyBits()).isEqualTo(2048);
    assertThat(c.verifying().maximumSignaturesToVerify()).isZero();
    assertThat(c.verifying().clockDriftSeconds()).isEqualTo(16);
    assertThat(c.dns().timeoutSeconds()).isEqualTo(8);
    assertThat(files.config("SignatureTTL 0").signing().signatureTtl()).isEmpty();
    assertThat(files.error("SignatureTTL 1d"))
        .isEqualTo(
            "t.conf:1: SignatureTTL: a non-negative integer (seconds; 0: no x= tag), got 1d");
    assertThat(files.error("ClockDrift -5"))
        .isEqualTo("t.conf:1: ClockDrift: a non-negative integer (seconds), got -5");
    assertThat(files.error("DNSTimeout 09"))
        .isEqualTo("t.conf:1: DNSTimeout: a non-negative integer (seconds; 0: no timeout), got 09");
    assertThat(files.error("MaximumSignaturesToVerify 99999999999"))
        .isEqualTo(
            "t.conf:1: MaximumSignaturesToVerify: a non-negative integer (0: no limit), got 99999999999");
    assertThat(files.error("MinimumKeyBits 1e3"))
        .isEqualTo(
            "t.conf:1: MinimumKeyBits: a non-negative integer up to 65536 (bits; 0: any size), got 1e3");
  }

  @Test
  void actionsWithAbbreviationsAndOnDefaultFirst() throws Exception {
    OnActions a =
        files
            .config("On-BadSignature r\nOn-Default Quarantine\nOn-NoSignature a\nOn-DNSError t\n")
            .actions();
    assertThat(a.badSignature()).isEqualTo(MilterAction.REJECT);
    assertThat(a.noSignature()).isEqualTo(MilterAction.ACCEPT);
    assertThat(a.dnsError()).isEqualTo(MilterAction.TEMPFAIL);
    assertThat(a.internalError()).isEqualTo(MilterAction.QUARANTINE);
    assertThat(a.keyNotFound()).isEqualTo(MilterAction.QUARANTINE);
    assertThat(a.security()).isEqualTo(MilterAction.QUARANTINE);
    assertThat(a.signatureError()).isEqualTo(MilterAction.QUARANTINE);
    OnActions b =
        files
            .config(
                "On-KeyNotFound d\nOn-Security accept\nOn-SignatureError tempfail\nOn-InternalError reject")
            .actions();
    assertThat(b)
        .isEqualTo(
            new OnActions(
                MilterAction.ACCEPT,
                MilterAction.TEMPFAIL,
                MilterAction.REJECT,
                MilterAction.DISCARD,
                MilterAction.ACCEPT,
                MilterAction.ACCEPT,
                MilterAction.TEMPFAIL));
    assertThat(files.error("On-DNSError bounce"))
        .isEqualTo(
            "t.conf:1: On-DNSError: accept, discard, quarantine, reject or tempfail (or a/d/q/r/t), got bounce");
  }

  @Test
  void headerLists() throws Exception {
    Config c =
        files.config(
            "SignHeaders From,To , Subject\nOmitHeaders *,+X-Foo,-Bcc\nOversignHeaders From\n"
                + "SenderHeaders file:/etc/senderheaders\n");
    HeaderList sign = c.signing().signHeaders().orElseThrow();
    assertThat(sign.inline()).isTrue();
    assertThat(sign.extendsDefault()).isFalse();
    assertThat(sign.added()).containsExactly("From", "To", "Subject");
    HeaderList omit = c.signing().omitHeaders().orElseThrow();
    assertThat(omit.extendsDefault()).isTrue();
    assertThat(omit.added()).containsExactly("X-Foo");
    assertThat(omit.removed()).containsExactly("Bcc");
    assertThat(c.signing().oversignHeaders().orElseThrow().added()).containsExactly("From");
    HeaderList sender = c.signing().senderHeaders().orElseThrow();
    assertThat(sender.inline()).isFalse();
    assertThat(sender.source().spec()).isEqualTo("file:/etc/senderheaders");
    assertThat(files.config("OmitHeaders .").signing().omitHeaders().orElseThrow().added())
        .containsExactly(".");
    assertThat(files.error("OversignHeaders *,+From"))
        .isEqualTo(
            "t.conf:1: OversignHeaders: header field names separated by commas (no \"*\" form for this key), got *,+From");
    assertThat(files.error("SignHeaders From:To"))
        .isEqualTo(
            "t.conf:1: SignHeaders: header field names separated by commas (RFC 5322 §3.6.8 field names), got From:To");
    assertThat(files.error("SignHeaders -Bcc"))
        .isEqualTo(
            "t.conf:1: SignHeaders: \"-name\" entries only after \"*\" (e.g. *,-Bcc), got -Bcc");
  }

  @Test
  void nameservers() throws Exception {
    assertThat(
            files
                .config("Nameservers 127.0.0.1, 192.0.2.1:5353,::1,[2001:db8::1]:53,[fe80::1]")
                .dns()
                .nameservers())
        .containsExactly(
            new Nameserver("127.0.0.1", 53),
            new Nameserver("192.0.2.1", 5353),
            new Nameserver("::1", 53),
            new Nameserver("2001:db8::1", 53),
            new Nameserver("fe80::1", 53));
    String expected =
        "a comma-separated list of IP, IPv4:PORT or [IPv6]:PORT (e.g. 127.0.0.1, [::1]:53)";
    for (String bad :
        List.of(
            "ns.example.com",
            "127.0.0.1,",
            "256.1.1.1",
            "1.2.3.4:0",
            "[::1",
            "[1.2.3.4]:53",
            "1:2:3:4:5:6:7:8:9",
            "::1::2")) {
      assertThat(files.error("Nameservers " + bad))
          .isEqualTo("t.conf:1: Nameservers: " + expected + ", got " + bad);
    }
  }

  @Test
  void logging() throws Exception {
    LogSettings log =
        files
            .config("Syslog yes\nSyslogSuccess 1\nLogWhy t\nLogResults Y\nSyslogFacility LOCAL3")
            .log();
    assertThat(log).isEqualTo(new LogSettings(true, true, true, true, "local3"));
    assertThat(log.format()).isEqualTo(LogSettings.Format.TEXT);
    assertThat(files.config("LogFormat JSON").log().format()).isEqualTo(LogSettings.Format.JSON);
    assertThat(files.config("LogFormat text").log().format()).isEqualTo(LogSettings.Format.TEXT);
    assertThat(files.error("LogFormat xml"))
        .isEqualTo("t.conf:1: LogFormat: text or json, got xml");
    assertThat(files.error("SyslogFacility mailer"))
        .isEqualTo(
            "t.conf:1: SyslogFacility: a syslog facility (mail, daemon, user, local0 ... local7, auth, ...), got mailer");
  }

  @Test
  void verifyingAndDns() throws Exception {
    Config c =
        files.config(
            "AuthservID mx.example.net\nAlwaysAddARHeader yes\nAcceptSHA1 yes\nQueryCache yes\n"
                + "TestPublicKeys /tmp/keys\nTestDNSData file:/tmp/dns\nResignAll yes\nResignMailTo csl:example.org\n"
                + "DontSignMailTo recipient@example.org\nSoftwareHeader yes\nPidFile /run/inkan.pid\nKeyFile /k\n"
                + "MultipleSignatures yes\nRemoveOldSignatures yes\nExternalIgnoreList refile:/x\nMTA MSA\n");
    assertThat(c.verifying().authservId("host")).isEqualTo("mx.example.net");
    assertThat(c.verifying().alwaysAddArHeader()).isTrue();
    assertThat(c.verifying().acceptSha1()).isTrue();
    assertThat(c.dns().queryCache()).isTrue();
    assertThat(c.dns().testPublicKeys()).contains(Path.of("/tmp/keys"));
    assertThat(c.dns().testDnsData().orElseThrow().kind()).isEqualTo(DataSetRef.Kind.FILE);
    assertThat(c.signing().resignAll()).isTrue();
    assertThat(c.signing().resignMailTo().orElseThrow().spec()).isEqualTo("csl:example.org");
    assertThat(c.signing().dontSignMailTo().orElseThrow().spec())
        .isEqualTo("recipient@example.org");
    assertThat(c.service().softwareHeader()).isTrue();
    assertThat(c.service().pidFile()).contains(Path.of("/run/inkan.pid"));
    assertThat(c.signing().keyFile()).contains(Path.of("/k"));
    assertThat(c.signing().multipleSignatures()).isTrue();
    assertThat(c.signing().removeOldSignatures()).isTrue();
    assertThat(c.hosts().externalIgnoreList()).isPresent();
    assertThat(c.hosts().mta().orElseThrow().spec()).isEqualTo("MSA");
    assertThat(files.error("AuthservID mx; evil"))
        .isEqualTo(
            "t.conf:1: AuthservID: HOSTNAME or an authserv-id without blanks or ';' (RFC 8601 §2.2), got mx; evil");
  }
}
