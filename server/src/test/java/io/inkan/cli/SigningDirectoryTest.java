package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.HeaderField;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.testing.MtaSimulator;
import io.inkan.testing.Slapd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inkan's native LDAP mode end to end: keys made with {@code inkan keys add} in a real slapd sign
 * mail through a running daemon configured with {@code SigningDirectory}; an RSA and an Ed25519 key
 * of one domain both sign, and a key disabled in the directory stops signing without a reload.
 */
class SigningDirectoryTest {
  static final String BASE = "ou=dkim,dc=example,dc=com";
  static final String MESSAGE =
      "From: alice@example.org\r\nTo: bob@example.net\r\nSubject: hi\r\n\r\nHello.\r\n";

  @TempDir Path dir;
  final Map<String, KeyLookupResult> dns = new HashMap<>();

  @Test
  void directoryKeysSignAndAChangeIsPushed() throws Exception {
    Slapd.require();
    try (Slapd slapd = Slapd.start()) {
      slapd.add("dn: " + BASE + "\nobjectClass: top\nobjectClass: organizationalUnit\nou: dkim\n");
      Path password = dir.resolve("password");
      Files.writeString(password, slapd.rootPassword() + "\n");
      Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
      publish(keys(slapd, password, "add", "--domain", "example.org", "--selector", "rsa1"));
      publish(
          keys(
              slapd, password, "add", "--domain", "example.org", "--selector", "ed1", "--ed25519"));

      Path socket = dir.resolve("inkan.sock");
      Path conf =
          Files.writeString(
              dir.resolve("inkan.conf"),
              "Socket local:"
                  + socket
                  + "\nSigningDirectory "
                  + slapd.url()
                  + "/"
                  + BASE
                  + "\nLDAPBindUser "
                  + slapd.rootDn()
                  + "\nLDAPBindPassword "
                  + slapd.rootPassword()
                  + "\n");
      try (InkanTestServer server = InkanTestServer.start(conf);
          MtaSimulator mta = new MtaSimulator(socket)) {
        mta.open("127.0.0.1");
        List<String[]> both = signatures(mta);
        assertThat(both).extracting(h -> selector(h[1])).containsExactlyInAnyOrder("rsa1", "ed1");
        assertThat(verify(both)).hasSize(2).allMatch(VerificationResult::passed);

        CliRunner.Result off =
            keys(slapd, password, "disable", "--domain", "example.org", "--selector", "ed1");
        assertThat(off.exit()).as(off.err()).isZero();
        long end = System.nanoTime() + 5_000_000_000L;
        List<String[]> now = signatures(mta);
        while (now.size() != 1 && System.nanoTime() < end) {
          Thread.sleep(50);
          now = signatures(mta);
        }
        assertThat(now).extracting(h -> selector(h[1])).containsExactly("rsa1");
      }
    }
  }

  /** {@code inkan keys SUB --ldap URL/BASE} bound as the directory's root. */
  static CliRunner.Result keys(Slapd slapd, Path password, String sub, String... args) {
    List<String> all = new ArrayList<>(List.of("keys", sub, "--ldap", slapd.url() + "/" + BASE));
    all.addAll(List.of("--bind-dn", slapd.rootDn(), "--bind-password-file", password.toString()));
    all.addAll(List.of(args));
    return CliRunner.run(new byte[0], all.toArray(String[]::new));
  }

  /** Takes the TXT record {@code inkan keys add} printed as the published key record. */
  private void publish(CliRunner.Result added) {
    assertThat(added.exit()).as(added.err()).isZero();
    String out = added.outText();
    Matcher name = Pattern.compile("(\\S+)\\._domainkey").matcher(out);
    assertThat(name.find()).as(out).isTrue();
    StringBuilder txt = new StringBuilder();
    Matcher quoted = Pattern.compile("\"([^\"]*)\"").matcher(out);
    while (quoted.find()) {
      txt.append(quoted.group(1));
    }
    dns.put(name.group(1) + "._domainkey.example.org", KeyLookupResult.Found.of(txt.toString()));
  }

  private static List<String[]> signatures(MtaSimulator mta) throws Exception {
    List<String[]> out = new ArrayList<>();
    for (MtaSimulator.Reply r : mta.message(MESSAGE)) {
      if ((r.command() == 'i' || r.command() == 'h') && r.header()[0].equals("DKIM-Signature")) {
        out.add(r.header());
      }
    }
    return out;
  }

  private static String selector(String signature) {
    Matcher m = Pattern.compile("s=([^;\\s]+)").matcher(signature);
    return m.find() ? m.group(1) : "";
  }

  private List<VerificationResult> verify(List<String[]> signatures) throws Exception {
    KeyRecordLookup lookup =
        name ->
            CompletableFuture.completedFuture(
                dns.getOrDefault(name, new KeyLookupResult.NxDomain()));
    VerificationSession v = new DkimVerifier(VerifierSettings.defaults(), lookup).newSession();
    for (String[] s : signatures) {
      v.header(HeaderField.of(s[0], s[1].startsWith(" ") ? s[1] : " " + s[1]));
    }
    for (String line : MESSAGE.split("\r\n\r\n")[0].split("\r\n")) {
      int colon = line.indexOf(':');
      v.header(HeaderField.of(line.substring(0, colon), line.substring(colon + 1)));
    }
    v.endOfHeaders();
    byte[] body = "Hello.\r\n".getBytes(StandardCharsets.US_ASCII);
    v.body(body, 0, body.length);
    return v.finish(Runnable::run).toCompletableFuture().get();
  }
}
