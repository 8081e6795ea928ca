package io.inkan.runtime.cluster;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away cluster CA and node certificates (PEM files), as an operator would make them. */
public final class ClusterCertificates {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final X509Certificate ca;
  private final PrivateKey caKey;
  private final Path caFile;

  private ClusterCertificates(X509Certificate ca, PrivateKey caKey, Path caFile) {
    this.ca = ca;
    this.caKey = caKey;
    this.caFile = caFile;
  }

  /** A node's certificate and key files. */
  public record NodeFiles(Path certificate, Path key) {}

  /** A new CA written to {@code dir/NAME-ca.crt}. */
  public static ClusterCertificates newCa(Path dir, String name) throws Exception {
    KeyPair kp = rsa();
    X500Name subject = new X500Name("CN=" + name + " cluster CA");
    JcaX509v3CertificateBuilder b = builder(subject, subject, kp);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    X509Certificate cert = sign(b, kp.getPrivate());
    Path file =
        Files.writeString(dir.resolve(name + "-ca.crt"), pem("CERTIFICATE", cert.getEncoded()));
    return new ClusterCertificates(cert, kp.getPrivate(), file);
  }

  public Path caFile() {
    return caFile;
  }

  /** A node certificate for the loopback addresses, signed by this CA. */
  public NodeFiles node(Path dir, String name) throws Exception {
    KeyPair kp = rsa();
    JcaX509v3CertificateBuilder b =
        builder(
            new X500Name(ca.getSubjectX500Principal().getName()), new X500Name("CN=" + name), kp);
    GeneralName[] names = new GeneralName[11];
    names[0] = new GeneralName(GeneralName.dNSName, "localhost");
    for (int i = 1; i <= 10; i++) {
      names[i] = new GeneralName(GeneralName.iPAddress, "127.0.0." + i);
    }
    b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
    X509Certificate cert = sign(b, caKey);
    Path certFile =
        Files.writeString(dir.resolve(name + ".crt"), pem("CERTIFICATE", cert.getEncoded()));
    Path keyFile =
        Files.writeString(
            dir.resolve(name + ".key"), pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    return new NodeFiles(certFile, keyFile);
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator kpg = KeyPairGenerator.getInstance("RSA");
    kpg.initialize(2048);
    return kpg.generateKeyPair();
  }

  private static JcaX509v3CertificateBuilder builder(
      X500Name issuer, X500Name subject, KeyPair kp) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(
        issuer,
        BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofDays(1))),
        Date.from(now.plus(Duration.ofDays(2))),
        subject,
        kp.getPublic());
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey key)
      throws Exception {
    return new JcaX509CertificateConverter()
        .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(key)));
  }

  private static String pem(String type, byte[] der) {
    return io.inkan.runtime.admin.AdminHttp.SelfSigned.pem(type, der);
  }
}
