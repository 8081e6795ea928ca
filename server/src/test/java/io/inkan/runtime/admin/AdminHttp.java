package io.inkan.runtime.admin;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A small HTTP client for admin endpoint tests, and a self-signed certificate for TLS tests. */
public final class AdminHttp {
  private final HttpClient client;
  private final String base;

  private AdminHttp(HttpClient client, String base) {
    this.client = client;
    this.base = base;
  }

  /** Plain HTTP to {@code 127.0.0.1:port}. */
  public static AdminHttp http(int port) {
    return new AdminHttp(
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
        "http://127.0.0.1:" + port);
  }

  /** HTTPS to {@code 127.0.0.1:port}, trusting only {@code certificate}. */
  public static AdminHttp https(int port, X509Certificate certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("admin", certificate);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, tmf.getTrustManagers(), null);
    return new AdminHttp(
        HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build(),
        "https://127.0.0.1:" + port);
  }

  public String base() {
    return base;
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  public HttpResponse<String> get(String path, String header, String value)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(base + path)).header(header, value).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** A self-signed certificate for 127.0.0.1, written as PEM to {@code dir/admin.crt} and key. */
  public record SelfSigned(X509Certificate certificate, Path certFile, Path keyFile) {
    public static SelfSigned write(Path dir) throws Exception {
      KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
      kpg.initialize(2048);
      KeyPair kp = kpg.generateKeyPair();
      X500Name name = new X500Name("CN=127.0.0.1");
      Instant now = Instant.now();
      JcaX509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
              name,
              BigInteger.valueOf(now.toEpochMilli()),
              Date.from(now.minus(Duration.ofDays(1))),
              Date.from(now.plus(Duration.ofDays(1))),
              name,
              kp.getPublic());
      b.addExtension(
          Extension.subjectAlternativeName,
          false,
          new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
      X509Certificate cert =
          new JcaX509CertificateConverter()
              .getCertificate(
                  b.build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate())));
      Path certFile =
          Files.writeString(dir.resolve("admin.crt"), pem("CERTIFICATE", cert.getEncoded()));
      Path keyFile =
          Files.writeString(
              dir.resolve("admin.key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
      return new SelfSigned(cert, certFile, keyFile);
    }

    /** PEM armour around DER bytes, 64 columns. */
    public static String pem(String type, byte[] der) {
      return "-----BEGIN "
          + type
          + "-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
          + "\n-----END "
          + type
          + "-----\n";
    }
  }
}
