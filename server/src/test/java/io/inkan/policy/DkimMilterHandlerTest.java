package io.inkan.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.config.ConfigLoader;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.HeaderField;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.keys.PrivateKeyFiles;
import io.inkan.milter.MilterCommand;
import io.inkan.milter.MilterReply;
import io.inkan.milter.MilterSession;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole messages through a real {@link MilterSession}, as Postfix would send them (no socket). */
class DkimMilterHandlerTest {
  static final String BODY = "Hello.\r\nThis is a test.\r\n";

  @TempDir Path dir;
  Path rsa;
  Path ed;
  Path rsa1024;
  final Map<String, KeyLookupResult> dns = new HashMap<>();
  final KeyRecordLookup lookup =
      name ->
          CompletableFuture.completedFuture(dns.getOrDefault(name, new KeyLookupResult.NxDomain()));

  @BeforeEach
  void keys() throws Exception {
    rsa = copy("rsa2048.private", "rsa.private");
    ed = copy("rfc8463-ed25519.key", "ed.key");
    rsa1024 = copy("rfc8463-rsa.private", "rsa1024.private");
    publish("sel", "example.com", rsa);
    publish("ed", "example.com", ed);
    publish("old", "example.com", rsa1024);
  }

  private Path copy(String resource, String name) throws Exception {
    Path p = dir.resolve(name);
    try (InputStream in = getClass().getResourceAsStream("/keys/" + resource)) {
      Files.write(p, in.readAllBytes());
    }
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  void publish(String selector, String domain, Path key) throws Exception {
    var k = new PrivateKeyFiles(false).load(key);
    String type = k.type().tagValue();
    dns.put(
        KeyRecordLookup.recordName(selector, domain),
        KeyLookupResult.Found.of("v=DKIM1; k=" + type + "; p=" + k.publicKeyBase64()));
  }

  DkimPolicy policy(String conf) throws Exception {
    Path f = Files.writeString(dir.resolve("inkan.conf"), conf);
    return DkimPolicy.from(
        ConfigLoader.load(f).config(),
        new DkimPolicy.Services(lookup, Runnable::run, "mx.example.net"));
  }

  DkimPolicy singleKey(String extra) throws Exception {
    return policy("Domain example.com\nSelector sel\nKeyFile " + rsa + "\n" + extra);
  }

  /** One SMTP session's message; returns the end-of-message replies (or the connect verdict). */
  static List<MilterReply> run(
      DkimPolicy p, String ip, Map<String, String> mailMacros, List<String[]> headers, String body)
      throws Exception {
    return run(p, ip, mailMacros, List.of(), headers, body);
  }

  /** As above, with RCPT commands for {@code recipients} (as the MTA sends them, in brackets). */
  static List<MilterReply> run(
      DkimPolicy p,
      String ip,
      Map<String, String> mailMacros,
      List<String> recipients,
      List<String[]> headers,
      String body)
      throws Exception {
    MilterSession s = new MilterSession(new DkimMilterHandler(p), DkimMilterHandler.wants(p));
    s.handle(new MilterCommand.Negotiate(6, 0x1ff, 0x1fffff));
    var connect = s.handle(new MilterCommand.Connect("client.example", '4', 4711, ip));
    if (connect instanceof MilterSession.Reply r
        && !(r.replies().get(0) instanceof MilterReply.Continue)) {
      return r.replies();
    }
    s.handle(new MilterCommand.Macros('M', mailMacros));
    s.handle(new MilterCommand.Mail(List.of("<alice@example.com>")));
    for (String r : recipients) {
      s.handle(new MilterCommand.Rcpt(List.of(r)));
    }
    s.handle(new MilterCommand.Macros('N', Map.of("i", "4Q1")));
    for (String[] h : headers) {
      s.handle(new MilterCommand.Header(h[0], h[1]));
    }
    s.handle(new MilterCommand.EndOfHeaders());
    byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < b.length; i += 7) {
      s.handle(
          new MilterCommand.BodyChunk(
              java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + 7))));
    }
    var eom = s.handle(new MilterCommand.EndOfMessage());
    assertThat(eom).isInstanceOf(MilterSession.Pending.class);
    var reply =
        ((MilterSession.Pending) eom).reply().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThat(reply.problem()).isEmpty();
    return reply.replies();
  }

  static List<String[]> message(String from) {
    List<String[]> h = new ArrayList<>();
    if (from != null) {
      h.add(new String[] {"From", " " + from});
    }
    h.add(new String[] {"To", " bob@example.org"});
    h.add(new String[] {"Subject", " a test\n\tfolded"});
    h.add(new String[] {"Date", " Mon, 1 Jan 2024 00:00:00 +0000"});
    return h;
  }

  static List<MilterReply.InsertHeader> inserted(List<MilterReply> replies, String name) {
    return replies.stream()
        .filter(r -> r instanceof MilterReply.InsertHeader i && i.name().equals(name))
        .map(MilterReply.InsertHeader.class::cast)
        .toList();
  }

  static MilterReply last(List<MilterReply> replies) {
    return replies.get(replies.size() - 1);
  }

  /** The headers as the MTA would deliver them: inserted fields on top. */
  static List<String[]> delivered(List<MilterReply> replies, List<String[]> headers) {
    List<String[]> out = new ArrayList<>();
    for (MilterReply r : replies) {
      if (r instanceof MilterReply.InsertHeader i) {
        out.add(0, new String[] {i.name(), i.value()});
      }
    }
    out.addAll(headers);
    return out;
  }

  List<VerificationResult> verify(List<String[]> headers, String body) throws Exception {
    VerificationSession v = new DkimVerifier(VerifierSettings.defaults(), lookup).newSession();
    for (String[] h : headers) {
      v.header(HeaderField.of(h[0], h[1].replace("\n", "\r\n")));
    }
    v.endOfHeaders();
    byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
    v.body(b, 0, b.length);
    return v.finish(Runnable::run).toCompletableFuture().get();
  }

  @Test
  void internalClientIsSignedAndTheSignatureVerifies() throws Exception {
    List<String[]> msg = message("\"Alice (the boss)\" <alice@example.com> (work)");
    List<MilterReply> replies =
        run(singleKey("Canonicalization relaxed/simple"), "127.0.0.1", Map.of(), msg, BODY);
    assertThat(last(replies)).isInstanceOf(MilterReply.Continue.class);
    List<MilterReply.InsertHeader> sigs = inserted(replies, "DKIM-Signature");
    assertThat(sigs).hasSize(1);
    assertThat(sigs.get(0).index()).isZero();
    assertThat(sigs.get(0).value())
        .startsWith(" v=1;")
        .contains("d=example.com")
        .doesNotContain("\r");
    assertThat(verify(delivered(replies, msg), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
  }

  @Test
  void authenticatedExternalClientIsSigned() throws Exception {
    List<String[]> msg = message("alice@example.com");
    List<MilterReply> replies =
        run(singleKey(""), "198.51.100.7", Map.of("{auth_authen}", "alice"), msg, BODY);
    assertThat(inserted(replies, "DKIM-Signature")).hasSize(1);
    assertThat(verify(delivered(replies, msg), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
  }

  @Test
  void externalClientIsVerified() throws Exception {
    DkimPolicy p = singleKey("AuthservID mx.example.net");
    List<String[]> msg = message("alice@example.com");
    List<String[]> signed = delivered(run(p, "127.0.0.1", Map.of(), msg, BODY), msg);

    List<MilterReply> pass = run(p, "198.51.100.7", Map.of(), signed, BODY);
    assertThat(last(pass)).isInstanceOf(MilterReply.Continue.class);
    assertThat(inserted(pass, "Authentication-Results"))
        .singleElement()
        .satisfies(i -> assertThat(i.value()).startsWith(" mx.example.net;").contains("dkim=pass"));

    List<MilterReply> fail = run(p, "198.51.100.7", Map.of(), signed, BODY + "tampered\r\n");
    assertThat(inserted(fail, "Authentication-Results"))
        .singleElement()
        .satisfies(i -> assertThat(i.value()).contains("dkim=fail"));
    assertThat(last(fail)).isInstanceOf(MilterReply.Accept.class); // On-BadSignature accept

    DkimPolicy strict = singleKey("On-BadSignature reject");
    assertThat(run(strict, "198.51.100.7", Map.of(), signed, BODY + "x\r\n"))
        .containsExactly(new MilterReply.Reject());
  }

  @Test
  void dnsTemporaryFailureTempfailsByDefault() throws Exception {
    DkimPolicy p = singleKey("");
    List<String[]> msg = message("alice@example.com");
    List<String[]> signed = delivered(run(p, "127.0.0.1", Map.of(), msg, BODY), msg);
    dns.put("sel._domainkey.example.com", new KeyLookupResult.TempFail("SERVFAIL"));
    assertThat(run(p, "198.51.100.7", Map.of(), signed, BODY))
        .containsExactly(new MilterReply.Tempfail());
  }

  @Test
  void missingKeyRecordIsKeyNotFound() throws Exception {
    DkimPolicy p = singleKey("On-KeyNotFound quarantine");
    List<String[]> msg = message("alice@example.com");
    List<String[]> signed = delivered(run(p, "127.0.0.1", Map.of(), msg, BODY), msg);
    dns.clear();
    List<MilterReply> r = run(p, "198.51.100.7", Map.of(), signed, BODY);
    assertThat(inserted(r, "Authentication-Results").get(0).value()).contains("dkim=permerror");
    assertThat(r).contains(new MilterReply.Quarantine("DKIM quarantine"));
    assertThat(last(r)).isInstanceOf(MilterReply.Accept.class);
  }

  @Test
  void unsignedExternalMailGetsNoSignatureAction() throws Exception {
    List<MilterReply> r =
        run(singleKey(""), "198.51.100.7", Map.of(), message("x@example.org"), BODY);
    assertThat(r).containsExactly(new MilterReply.Accept());
    List<MilterReply> always =
        run(
            singleKey("AlwaysAddARHeader yes"),
            "198.51.100.7",
            Map.of(),
            message("x@example.org"),
            BODY);
    assertThat(inserted(always, "Authentication-Results").get(0).value()).endsWith("; dkim=none");
  }

  @Test
  void peerListClientIsAcceptedAtConnect() throws Exception {
    DkimPolicy p = singleKey("PeerList 192.0.2.0/24");
    assertThat(run(p, "192.0.2.9", Map.of(), message("alice@example.com"), BODY))
        .containsExactly(new MilterReply.Accept());
  }

  @Test
  void ourOldAuthenticationResultsAreRemoved() throws Exception {
    List<String[]> msg = message("x@example.org");
    msg.add(new String[] {"Authentication-Results", " other.example; dkim=pass"});
    msg.add(new String[] {"Authentication-Results", " (forged) MX.example.net; dkim=pass"});
    msg.add(new String[] {"Authentication-Results", " mx.example.net.evil; dkim=pass"});
    List<MilterReply> r =
        run(singleKey("AuthservID mx.example.net"), "198.51.100.7", Map.of(), msg, BODY);
    assertThat(r)
        .containsExactly(
            new MilterReply.ChangeHeader(2, "Authentication-Results", ""),
            new MilterReply.Accept());
  }

  @Test
  void messageWithoutFromIsAcceptedUntouched() throws Exception {
    assertThat(run(singleKey(""), "127.0.0.1", Map.of(), message(null), BODY))
        .containsExactly(new MilterReply.Accept());
  }

  @Test
  void severalFromFieldsAreASignatureError() throws Exception {
    List<String[]> msg = message("alice@example.com");
    msg.add(new String[] {"From", " mallory@example.com"});
    assertThat(run(singleKey(""), "127.0.0.1", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Reject());
  }

  @Test
  void twoKeysWithMultipleSignatures() throws Exception {
    Files.writeString(
        dir.resolve("keys"), "rsa example.com:sel:" + rsa + "\ned example.com:ed:" + ed + "\n");
    Files.writeString(dir.resolve("signing"), "*@example.com rsa\n*@example.com ed\n");
    DkimPolicy p =
        policy(
            "KeyTable file:"
                + dir.resolve("keys")
                + "\nSigningTable refile:"
                + dir.resolve("signing")
                + "\nMultipleSignatures yes\n");
    List<String[]> msg = message("Alice <alice@example.com>");
    List<MilterReply> r = run(p, "127.0.0.1", Map.of(), msg, BODY);
    assertThat(inserted(r, "DKIM-Signature")).hasSize(2);
    assertThat(verify(delivered(r, msg), BODY)).hasSize(2).allMatch(VerificationResult::passed);
  }

  @Test
  void keyFileGoneWhenNeededTempfails() throws Exception {
    Path perDomain = copy("rsa2048.private", "example.com.key");
    Files.writeString(dir.resolve("keys"), "k %:sel:" + dir + "/%.key\n");
    Files.writeString(dir.resolve("signing"), "example.com k\n");
    DkimPolicy p =
        policy(
            "KeyTable file:"
                + dir.resolve("keys")
                + "\nSigningTable file:"
                + dir.resolve("signing")
                + "\n");
    Files.delete(perDomain);
    assertThat(run(p, "127.0.0.1", Map.of(), message("alice@example.com"), BODY))
        .containsExactly(new MilterReply.Tempfail());
  }

  @Test
  void macroListMatchSigns() throws Exception {
    DkimPolicy p = singleKey("MacroList daemon_name=MSA|ORIG");
    assertThat(
            inserted(
                run(
                    p,
                    "198.51.100.7",
                    Map.of("{daemon_name}", "MSA"),
                    message("alice@example.com"),
                    BODY),
                "DKIM-Signature"))
        .hasSize(1);
    assertThat(
            inserted(
                run(
                    p,
                    "198.51.100.7",
                    Map.of("{daemon_name}", "MX"),
                    message("alice@example.com"),
                    BODY),
                "DKIM-Signature"))
        .isEmpty();
  }

  @Test
  void badDataSetNamesTheLine() throws Exception {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> policy("\nInternalHosts csl:192.0.2.5/24\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("inkan.conf:2");
  }

  @Test
  void softwareHeaderAddsDkimFilterWhenSigningAndVerifying() throws Exception {
    DkimPolicy p = singleKey("SoftwareHeader yes");
    List<String[]> msg = message("alice@example.com");
    List<MilterReply> signed = run(p, "127.0.0.1", Map.of(), msg, BODY);
    String expected = " Inkan v" + Outcomes.VERSION + " mx.example.net 4Q1";
    assertThat(inserted(signed, "DKIM-Filter"))
        .singleElement()
        .satisfies(i -> assertThat(i.value()).isEqualTo(expected));
    // Inserted last at the top: above DKIM-Signature, as OpenDKIM's order.
    assertThat(signed.get(signed.size() - 2)).isEqualTo(inserted(signed, "DKIM-Filter").get(0));
    List<String[]> delivered = delivered(signed, msg);
    assertThat(verify(delivered, BODY)).singleElement().matches(VerificationResult::passed);

    List<MilterReply> verified = run(p, "198.51.100.7", Map.of(), delivered, BODY);
    assertThat(inserted(verified, "Authentication-Results")).hasSize(1);
    assertThat(inserted(verified, "DKIM-Filter")).hasSize(1);
    assertThat(inserted(run(singleKey(""), "127.0.0.1", Map.of(), msg, BODY), "DKIM-Filter"))
        .isEmpty();
    // Not added when the verdict refuses the message.
    assertThat(
            run(
                singleKey("SoftwareHeader yes\nOn-BadSignature reject"),
                "198.51.100.7",
                Map.of(),
                delivered,
                BODY + "x\r\n"))
        .containsExactly(new MilterReply.Reject());
  }

  @Test
  void senderHeadersPickTheFirstListedFieldPresent() throws Exception {
    List<String[]> msg = message("x@example.org");
    msg.add(new String[] {"Sender", " Alice <alice@example.com>"});
    List<MilterReply> bySender =
        run(singleKey("SenderHeaders Sender,From"), "127.0.0.1", Map.of(), msg, BODY);
    assertThat(inserted(bySender, "DKIM-Signature")).hasSize(1);
    assertThat(verify(delivered(bySender, msg), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
    // Default: From only, so the example.org author is not signed for.
    assertThat(inserted(run(singleKey(""), "127.0.0.1", Map.of(), msg, BODY), "DKIM-Signature"))
        .isEmpty();
    // Absent listed fields fall back to From when From is not in the list.
    List<MilterReply> fallback =
        run(
            singleKey("SenderHeaders Resent-From"),
            "127.0.0.1",
            Map.of(),
            message("alice@example.com"),
            BODY);
    assertThat(inserted(fallback, "DKIM-Signature")).hasSize(1);
  }

  @Test
  void dontSignMailToSkipsSigningWhenAnyRecipientMatches() throws Exception {
    DkimPolicy p = singleKey("DontSignMailTo csl:list@example.org,archive@example.net");
    List<String[]> msg = message("alice@example.com");
    assertThat(
            run(
                p,
                "127.0.0.1",
                Map.of(),
                List.of("<bob@example.org>", "<List@Example.ORG>"),
                msg,
                BODY))
        .containsExactly(new MilterReply.Accept());
    assertThat(
            inserted(
                run(p, "127.0.0.1", Map.of(), List.of("<bob@example.org>"), msg, BODY),
                "DKIM-Signature"))
        .hasSize(1);
  }

  @Test
  void signatureAlgorithmAppliesToTheKeyFile() throws Exception {
    String edKey = "Domain example.com\nSelector ed\nKeyFile " + ed + "\n";
    List<String[]> msg = message("alice@example.com");
    List<MilterReply> r =
        run(
            policy(edKey + "SignatureAlgorithm ed25519-sha256\n"),
            "127.0.0.1",
            Map.of(),
            msg,
            BODY);
    assertThat(inserted(r, "DKIM-Signature").get(0).value()).contains("a=ed25519-sha256");
    assertThat(verify(delivered(r, msg), BODY)).singleElement().matches(VerificationResult::passed);
    // OpenDKIM's default is rsa-sha256, which an Ed25519 key cannot make: start-up stops.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> policy(edKey))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("SignatureAlgorithm");
    // A KeyTable entry's own algorithm field wins.
    Files.writeString(dir.resolve("keys"), "k example.com:sel:" + rsa + ":rsa-sha256\n");
    Files.writeString(dir.resolve("signing"), "example.com k\n");
    DkimPolicy table =
        policy(
            "KeyTable file:"
                + dir.resolve("keys")
                + "\nSigningTable file:"
                + dir.resolve("signing")
                + "\nSignatureAlgorithm ed25519-sha256\n");
    assertThat(
            inserted(run(table, "127.0.0.1", Map.of(), msg, BODY), "DKIM-Signature").get(0).value())
        .contains("a=rsa-sha256");
  }

  @Test
  void tooMuchHeaderDataIsOnSecurity() throws Exception {
    List<String[]> msg = message("alice@example.com");
    msg.add(new String[] {"X-Big", " " + "a".repeat(DkimMilterHandler.MAX_HEADER_BYTES)});
    assertThat(run(singleKey(""), "198.51.100.7", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Tempfail());
    assertThat(run(singleKey(""), "127.0.0.1", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Tempfail());
    assertThat(run(singleKey("On-Security accept"), "198.51.100.7", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Accept());
    // Just under the limit is handled as usual.
    List<String[]> fits = message("alice@example.com");
    fits.add(new String[] {"X-Big", " " + "a".repeat(60000)});
    assertThat(inserted(run(singleKey(""), "127.0.0.1", Map.of(), fits, BODY), "DKIM-Signature"))
        .hasSize(1);
  }
}
