package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.inkan.dataset.CachedDataSet;
import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import io.inkan.dataset.DataSetUnavailableException;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import io.inkan.testing.Slapd;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code ldap:} sets against UnboundID's in-memory directory: values, failures, binds, caching. */
class LdapDataSetTest {
  static final Source AT = new Source("/etc/inkan/inkan.conf", 12);
  static final String KEYS = "ou=keys," + InMemoryLdap.BASE;

  private InMemoryLdap ldap;
  private final List<DataSet> opened = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ldap = InMemoryLdap.start();
    ldap.add("dn: " + KEYS, "objectClass: organizationalUnit", "ou: keys");
    key("sel1", "example.com", "MIIsel1");
    key("sel2", "example.net", "MIIsel2");
    ldap.add(
        "dn: DKIMSelector=bare," + KEYS,
        "objectClass: device",
        "objectClass: DKIM",
        "cn: bare",
        "DKIMSelector: bare",
        "DKIMKey: MIIbare");
  }

  private void key(String selector, String domain, String key) throws Exception {
    ldap.add(
        "dn: DKIMSelector=" + selector + "," + KEYS,
        "objectClass: device",
        "objectClass: DKIM",
        "cn: " + selector,
        "DKIMSelector: " + selector,
        "DKIMDomain: " + domain,
        "DKIMIdentity: @" + domain,
        "DKIMKey: " + key);
  }

  @AfterEach
  void stop() {
    opened.forEach(DataSet::close);
    ldap.close();
  }

  static DataSetOptions options(LdapOptions ldap, boolean softStart) {
    return new DataSetOptions(ldap, softStart, Duration.ofMinutes(5), Duration.ofMinutes(1));
  }

  static LdapOptions ldapOptions(
      Optional<String> user, Optional<String> password, Duration timeout) {
    return new LdapOptions(user, password, false, Optional.empty(), timeout, 0, 0, 0, false);
  }

  private DataSet open(String spec) throws DataSetException {
    return open(spec, DataSetOptions.DEFAULTS);
  }

  private DataSet open(String spec, DataSetOptions options) throws DataSetException {
    DataSet set = LdapDataSet.open(spec, AT, KeyCase.SENSITIVE, options);
    opened.add(set);
    return set;
  }

  @Test
  void attributesInOrderJoinedWithColonsAsAKeyTable() throws Exception {
    DataSet set =
        open(ldap.url() + "/" + KEYS + "?DKIMDomain,DKIMSelector,DKIMKey?one?(DKIMSelector=$d)");
    DataSetEntry e = set.lookup("sel1").orElseThrow();
    assertThat(e.key()).isEqualTo("sel1");
    assertThat(e.value()).isEqualTo("example.com:sel1:MIIsel1");
    assertThat(e.values(3)).containsExactly("example.com", "sel1", "MIIsel1");
    assertThat(e.source()).isEqualTo(AT);
    assertThat(set.lookup("sel3")).isEmpty();
  }

  @Test
  void anAbsentAttributeIsAnEmptyField() throws Exception {
    DataSet set =
        open(ldap.url() + "/" + KEYS + "?DKIMDomain,DKIMSelector,DKIMIdentity?one?(cn=$d)");
    assertThat(set.get("bare")).hasValue(List.of("", "bare", ""));
  }

  @Test
  void noAttributesMakesKeysWithoutValues() throws Exception {
    DataSet set = open(ldap.url() + "/" + KEYS + "??sub?(DKIMDomain=$d)");
    assertThat(set.lookup("example.net"))
        .hasValueSatisfying(e -> assertThat(e.hasValue()).isFalse());
    assertThat(set.contains("example.org")).isFalse();
  }

  @Test
  void theFirstEntryFoundWins() throws Exception {
    DataSet set = open(ldap.url() + "/" + KEYS + "?DKIMSelector?one?(objectClass=DKIM)");
    assertThat(set.lookup("anything").orElseThrow().value()).isIn("sel1", "sel2", "bare");
  }

  @Test
  void dollarBigDFindsADomainsEntryByItsDn() throws Exception {
    ldap.add("dn: ou=dkim," + InMemoryLdap.BASE, "objectClass: organizationalUnit", "ou: dkim");
    ldap.add("dn: dc=com,ou=dkim," + InMemoryLdap.BASE, "objectClass: domain", "dc: com");
    ldap.add(
        "dn: dc=example,dc=com,ou=dkim," + InMemoryLdap.BASE,
        "objectClass: domain",
        "objectClass: DKIM",
        "dc: example",
        "DKIMSelector: s",
        "DKIMKey: K");
    DataSet set =
        open(ldap.url() + "/$D,ou=dkim," + InMemoryLdap.BASE + "?DKIMSelector,DKIMKey?base");
    assertThat(set.get("example.com")).hasValue(List.of("s", "K"));
    assertThat(set.lookup("example.org")).isEmpty(); // noSuchObject: a miss
    assertThat(set.lookup("a,dc=example.com")).isEmpty();
    assertThat(set.lookup(".com")).isEmpty();
  }

  @Test
  void aStoppedServerIsUnavailableNeverAMiss() throws Exception {
    DataSet set =
        open(
            ldap.url() + "/" + KEYS + "?DKIMKey?one?(DKIMSelector=$d)",
            options(ldapOptions(Optional.empty(), Optional.empty(), Duration.ofSeconds(2)), false));
    assertThat(set.get("sel1")).hasValue(List.of("MIIsel1"));
    String server = ldap.url().replace("ldap://", "");
    ldap.stop();
    assertThat(set.get("sel1")).as("cached").hasValue(List.of("MIIsel1"));
    assertThatThrownBy(() -> set.lookup("sel2"))
        .isInstanceOf(DataSetUnavailableException.class)
        .hasMessageContaining(AT.toString())
        .hasMessageContaining("sel2")
        .hasMessageContaining(server);
    set.dropCache();
    assertThatThrownBy(() -> set.lookup("sel1")).isInstanceOf(DataSetUnavailableException.class);
  }

  @Test
  void aServerThatNeverAnswersTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      List<Socket> held = new ArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (Exception closed) {
                  // done
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      DataSet set =
          open(
              "ldap://127.0.0.1:" + silent.getLocalPort() + "/" + KEYS + "?cn?one?(cn=$d)",
              options(
                  ldapOptions(Optional.empty(), Optional.empty(), Duration.ofMillis(500)), false));
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> set.lookup("sel1")).isInstanceOf(DataSetUnavailableException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void unreachableAtOpenFailsUnlessSoftStart() throws Exception {
    int port = Slapd.freePort();
    String spec = "ldap://127.0.0.1:" + port + "/" + KEYS + "?DKIMKey?one?(DKIMSelector=$d)";
    LdapOptions fast = ldapOptions(Optional.empty(), Optional.empty(), Duration.ofSeconds(1));
    assertThatThrownBy(() -> open(spec, options(fast, false)))
        .isInstanceOf(DataSetException.class)
        .hasMessageStartingWith(AT + ": data set \"" + spec + "\": cannot connect")
        .hasMessageContaining("127.0.0.1:" + port);
    DataSet set = open(spec, options(fast, true));
    assertThatThrownBy(() -> set.lookup("sel1")).isInstanceOf(DataSetUnavailableException.class);
    try (InMemoryLdap late = InMemoryLdap.start(port)) {
      late.add("dn: " + KEYS, "objectClass: organizationalUnit", "ou: keys");
      late.add(
          "dn: DKIMSelector=sel1," + KEYS,
          "objectClass: device",
          "objectClass: DKIM",
          "cn: sel1",
          "DKIMSelector: sel1",
          "DKIMKey: LATE");
      assertThat(set.get("sel1")).hasValue(List.of("LATE"));
    }
  }

  @Test
  void bindsWithUserAndPassword() throws Exception {
    DataSet set =
        open(
            ldap.url() + "/" + KEYS + "?DKIMKey?one?(DKIMSelector=$d)",
            options(
                ldapOptions(
                    Optional.of(InMemoryLdap.ADMIN),
                    Optional.of(InMemoryLdap.ADMIN_PASSWORD),
                    Duration.ofSeconds(2)),
                false));
    assertThat(set.get("sel2")).hasValue(List.of("MIIsel2"));
  }

  @Test
  void aWrongPasswordIsAClearErrorWithoutThePassword() throws Exception {
    String secret = "Tr0ub4dor-and-3-horses";
    LdapOptions wrong =
        ldapOptions(Optional.of(InMemoryLdap.ADMIN), Optional.of(secret), Duration.ofSeconds(2));
    String spec = ldap.url() + "/" + KEYS + "?DKIMKey?one?(DKIMSelector=$d)";
    try (LogCapture log = new LogCapture()) {
      Throwable open = null;
      try {
        open(spec, options(wrong, false));
      } catch (DataSetException e) {
        open = e;
      }
      assertThat(open)
          .isInstanceOf(DataSetException.class)
          .hasMessageContaining("invalid credentials (49)");
      assertThat(everything(open)).doesNotContain(secret);
      DataSet soft = open(spec, options(wrong, true));
      Throwable lookup = null;
      try {
        soft.lookup("sel1");
      } catch (DataSetUnavailableException e) {
        lookup = e;
      }
      assertThat(lookup).isNotNull().hasMessageContaining("invalid credentials");
      assertThat(everything(lookup)).doesNotContain(secret);
      assertThat(log.text()).isNotEmpty().doesNotContain(secret);
      assertThat(soft.toString()).doesNotContain(secret);
    }
  }

  @Test
  void aBindUserWithoutPasswordOrNotADnIsRefused() {
    String spec = ldap.url() + "/" + KEYS + "?DKIMKey?one?(DKIMSelector=$d)";
    assertThatThrownBy(
            () ->
                open(
                    spec,
                    options(
                        ldapOptions(
                            Optional.of(InMemoryLdap.ADMIN),
                            Optional.empty(),
                            Duration.ofSeconds(1)),
                        false)))
        .hasMessageContaining("LDAPBindUser is set but LDAPBindPassword is not");
    assertThatThrownBy(
            () ->
                open(
                    spec,
                    options(
                        ldapOptions(Optional.of("admin"), Optional.of("x"), Duration.ofSeconds(1)),
                        false)))
        .hasMessageContaining("LDAPBindUser \"admin\" is not a DN");
  }

  @Test
  void badSpecificationsFailAtOpen() {
    assertThatThrownBy(() -> open("ldap://127.0.0.1/dc=x??base?(cn=$d"))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("is not a filter");
    assertThatThrownBy(() -> open("ldap://127.0.0.1/notadn??base"))
        .hasMessageContaining("\"notadn\" is not a DN");
    assertThatThrownBy(() -> open("ldap://127.0.0.1:99999/"))
        .hasMessageStartingWith(AT + ": data set \"ldap://127.0.0.1:99999/\": ")
        .hasMessageContaining("port");
    assertThatThrownBy(() -> open("  ")).hasMessageContaining("no LDAP URL");
  }

  @Test
  void ldapiFailsAtOpenSuggestingTcp() {
    assertThatThrownBy(() -> open("ldapi://%2Fvar%2Frun%2Fslapd%2Fldapi/dc=x?cn?sub?(cn=$d)"))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("ldapi: (LDAP over a unix socket) is not supported")
        .hasMessageContaining("ldap://127.0.0.1/");
    assertThatThrownBy(() -> open(ldap.url() + "/dc=x ldapi:///dc=x"))
        .hasMessageContaining("ldapi:");
  }

  @Test
  void cachingFollowsTheOptions() throws Exception {
    String spec = ldap.url() + "/" + KEYS + "?DKIMKey?one?(DKIMSelector=$d)";
    LdapOptions noCache =
        new LdapOptions(
            Optional.empty(),
            Optional.empty(),
            false,
            Optional.empty(),
            Duration.ofSeconds(2),
            0,
            0,
            0,
            true);
    assertThat(open(spec, options(noCache, false))).isInstanceOf(LdapDataSet.class);
    assertThat(open(spec)).isInstanceOf(CachedDataSet.class);
    DataSet zero =
        open(spec, new DataSetOptions(LdapOptions.DEFAULTS, false, Duration.ZERO, Duration.ZERO));
    assertThat(zero).isInstanceOf(LdapDataSet.class);
    assertThat(((LdapDataSet) zero).keyCase()).isEqualTo(KeyCase.SENSITIVE);
    ldap.server()
        .modify(
            "DKIMSelector=sel1," + KEYS,
            new Modification(ModificationType.REPLACE, "DKIMKey", "ROTATED"));
    assertThat(zero.get("sel1")).hasValue(List.of("ROTATED"));
  }

  @Test
  void concurrentLookupsFromManyThreads() throws Exception {
    DataSet set =
        open(
            ldap.url() + "/" + KEYS + "?DKIMKey?one?(DKIMSelector=$d)",
            new DataSetOptions(LdapOptions.DEFAULTS, false, Duration.ZERO, Duration.ZERO));
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 8; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 50; i++) {
                    assertThat(set.get(i % 2 == 0 ? "sel1" : "sel2"))
                        .hasValue(List.of(i % 2 == 0 ? "MIIsel1" : "MIIsel2"));
                  }
                } catch (Throwable e) {
                  errors.add(e);
                }
              });
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join(30_000);
    }
    assertThat(errors).isEmpty();
  }

  static String everything(Throwable t) {
    StringBuilder sb = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) {
      sb.append(c).append('\n');
      for (StackTraceElement e : c.getStackTrace()) {
        sb.append(e).append('\n');
      }
    }
    return sb.toString();
  }

  /** Collects what {@code io.inkan} logs while open. */
  static final class LogCapture implements AutoCloseable {
    private final Logger logger = (Logger) LoggerFactory.getLogger("io.inkan");
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture() {
      appender.start();
      logger.addAppender(appender);
    }

    String text() {
      StringBuilder sb = new StringBuilder();
      for (ILoggingEvent e : appender.list) {
        sb.append(e.getFormattedMessage()).append('\n');
        if (e.getThrowableProxy() != null) {
          sb.append(ThrowableProxyUtil.asString(e.getThrowableProxy())).append('\n');
        }
      }
      return sb.toString();
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
