package io.inkan.dataset.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSetOptions;
import io.inkan.dataset.DataSetOptions.LdapOptions;
import io.inkan.dataset.KeyCase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** StartTLS and LDAPS against the in-memory directory with self-signed certificates. */
class LdapTlsTest {
  private static final String QUERY = "/" + InMemoryLdap.BASE + "?o?base";

  @TempDir Path dir;

  private static DataSetOptions tls(boolean startTls, Optional<Path> caFile) {
    LdapOptions ldap =
        new LdapOptions(
            Optional.empty(),
            Optional.empty(),
            startTls,
            caFile,
            Duration.ofSeconds(3),
            60,
            10,
            3,
            true);
    return new DataSetOptions(ldap, false, Duration.ZERO, Duration.ZERO);
  }

  private TestCertificates.Server localCert() {
    return TestCertificates.generate(dir, "local", List.of("localhost"), List.of("127.0.0.1"));
  }

  @Test
  void startTlsWithTheCaFile() throws Exception {
    TestCertificates.Server cert = localCert();
    try (InMemoryLdap ldap = InMemoryLdap.start(cert, null);
        DataSet set =
            LdapDataSet.open(
                ldap.url() + QUERY,
                LdapDataSetTest.AT,
                KeyCase.SENSITIVE,
                tls(true, Optional.of(cert.pem())))) {
      // the untrusted and misnamed cases below fail, so TLS did happen here
      assertThat(set.get("any")).hasValue(List.of("Example"));
    }
  }

  @Test
  void startTlsRefusesACertificateNobodyVouchesFor() throws Exception {
    try (InMemoryLdap ldap = InMemoryLdap.start(localCert(), null)) {
      assertThatThrownBy(
              () ->
                  LdapDataSet.open(
                      ldap.url() + QUERY,
                      LdapDataSetTest.AT,
                      KeyCase.SENSITIVE,
                      tls(true, Optional.empty())))
          .isInstanceOf(DataSetException.class)
          .hasMessageContaining("cannot connect and bind");
    }
  }

  @Test
  void ldapsWithTheCaFile() throws Exception {
    TestCertificates.Server cert = localCert();
    try (InMemoryLdap ldap = InMemoryLdap.start(cert, null);
        DataSet set =
            LdapDataSet.open(
                "ldaps://127.0.0.1:" + ldap.ldapsPort() + QUERY,
                LdapDataSetTest.AT,
                KeyCase.SENSITIVE,
                tls(false, Optional.of(cert.pem())))) {
      assertThat(set.get("any")).hasValue(List.of("Example"));
    }
  }

  @Test
  void ldapsChecksTheServerName() throws Exception {
    TestCertificates.Server other =
        TestCertificates.generate(dir, "other", List.of("ldap.example.net"), List.of());
    try (InMemoryLdap ldap = InMemoryLdap.start(other, null)) {
      assertThatThrownBy(
              () ->
                  LdapDataSet.open(
                      "ldaps://127.0.0.1:" + ldap.ldapsPort() + QUERY,
                      LdapDataSetTest.AT,
                      KeyCase.SENSITIVE,
                      tls(false, Optional.of(other.pem()))))
          .isInstanceOf(DataSetException.class);
    }
  }

  @Test
  void startTlsChecksTheServerName() throws Exception {
    TestCertificates.Server other =
        TestCertificates.generate(dir, "other", List.of("ldap.example.net"), List.of());
    try (InMemoryLdap ldap = InMemoryLdap.start(other, null)) {
      assertThatThrownBy(
              () ->
                  LdapDataSet.open(
                      ldap.url() + QUERY,
                      LdapDataSetTest.AT,
                      KeyCase.SENSITIVE,
                      tls(true, Optional.of(other.pem()))))
          .isInstanceOf(DataSetException.class);
    }
  }

  @Test
  void aCaFileWithoutCertificatesFailsAtOpen() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
    assertThatThrownBy(
            () ->
                LdapDataSet.open(
                    "ldaps://127.0.0.1:1" + QUERY,
                    LdapDataSetTest.AT,
                    KeyCase.SENSITIVE,
                    tls(false, Optional.of(empty))))
        .isInstanceOf(DataSetException.class)
        .hasMessageContaining("TLS setup failed");
    assertThatThrownBy(
            () ->
                LdapDataSet.open(
                    "ldaps://127.0.0.1:1" + QUERY,
                    LdapDataSetTest.AT,
                    KeyCase.SENSITIVE,
                    tls(false, Optional.of(dir.resolve("missing.pem")))))
        .hasMessageContaining("TLS setup failed")
        .hasMessageContaining("missing.pem");
  }
}
