package io.inkan.dataset.ldap;

import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.util.ssl.cert.ManageCertificates;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Self-signed server certificates made with UnboundID's {@code manage-certificates}. */
final class TestCertificates {
  private TestCertificates() {}

  /**
   * A PKCS#12 key store holding a key and its self-signed certificate, and that certificate as PEM.
   */
  record Server(Path keyStore, char[] password, String alias, Path pem) {}

  /** A certificate for the given DNS names and IP addresses, written into {@code dir}. */
  static Server generate(Path dir, String name, List<String> dnsNames, List<String> ips) {
    Path keyStore = dir.resolve(name + ".p12");
    Path pem = dir.resolve(name + ".pem");
    String password = "changeit-" + name;
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "generate-self-signed-certificate",
            "--keystore",
            keyStore.toString(),
            "--keystore-password",
            password,
            "--keystore-type",
            "PKCS12",
            "--alias",
            "server",
            "--subject-dn",
            "CN=" + (dnsNames.isEmpty() ? ips.get(0) : dnsNames.get(0)),
            "--key-algorithm",
            "EC",
            "--key-size-bits",
            "256",
            "--signature-algorithm",
            "SHA256withECDSA",
            "--days-valid",
            "2"));
    for (String dns : dnsNames) {
      args.add("--subject-alternative-name-dns");
      args.add(dns);
    }
    for (String ip : ips) {
      args.add("--subject-alternative-name-ip-address");
      args.add(ip);
    }
    run(args);
    run(
        List.of(
            "export-certificate",
            "--keystore",
            keyStore.toString(),
            "--keystore-password",
            password,
            "--alias",
            "server",
            "--output-format",
            "PEM",
            "--output-file",
            pem.toString()));
    return new Server(keyStore, password.toCharArray(), "server", pem);
  }

  private static void run(List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ResultCode rc = ManageCertificates.main(null, out, out, args.toArray(String[]::new));
    if (rc != ResultCode.SUCCESS) {
      throw new IllegalStateException("manage-certificates " + args.get(0) + ": " + out);
    }
  }
}
