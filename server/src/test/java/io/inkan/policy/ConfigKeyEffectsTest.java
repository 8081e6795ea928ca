package io.inkan.policy;

import static io.inkan.policy.DkimMilterHandlerTest.BODY;
import static io.inkan.policy.DkimMilterHandlerTest.delivered;
import static io.inkan.policy.DkimMilterHandlerTest.inserted;
import static io.inkan.policy.DkimMilterHandlerTest.last;
import static io.inkan.policy.DkimMilterHandlerTest.message;
import static io.inkan.policy.DkimMilterHandlerTest.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inkan.config.ConfigLoader;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.milter.MilterReply;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The effect of each opendkim.conf key that no other test drives through a milter session: a policy
 * built from configuration text, then whole messages through a real {@link
 * io.inkan.milter.MilterSession} (no socket), asserting on what the MTA would be told. Each test
 * sets the key and shows what changes against the default.
 */
class ConfigKeyEffectsTest {
  private static final String EXTERNAL = "198.51.100.7";
  private static final String INTERNAL = "127.0.0.1";
  private static final long T = 1_800_000_000L;

  @TempDir Path dir;
  final DkimMilterHandlerTest fx = new DkimMilterHandlerTest();

  @BeforeEach
  void keys() throws Exception {
    fx.dir = dir;
    fx.keys();
  }

  DkimPolicy policy(String conf, LongSupplier clock) throws Exception {
    Path f = Files.writeString(dir.resolve("effects.conf"), conf);
    return DkimPolicy.from(
        ConfigLoader.load(f).config(),
        new DkimPolicy.Services(
            fx.lookup, Runnable::run, PolicyMetrics.NONE, "mx.example.net", clock));
  }

  DkimPolicy policy(String conf) throws Exception {
    return policy(conf, null);
  }

  /** Domain example.com, Selector sel, the 2048-bit key, plus {@code extra}. */
  DkimPolicy singleKey(String extra) throws Exception {
    return policy("Domain example.com\nSelector sel\nKeyFile " + fx.rsa + "\n" + extra);
  }

  /** The end-of-message replies for {@code from}'s standard message from {@code ip}. */
  static List<MilterReply> send(DkimPolicy p, String ip, String from) throws Exception {
    return run(p, ip, Map.of(), message(from), BODY);
  }

  static List<String[]> signed(DkimPolicy p, List<String[]> msg) throws Exception {
    List<MilterReply> r = run(p, INTERNAL, Map.of(), msg, BODY);
    assertThat(inserted(r, "DKIM-Signature")).as("signed").isNotEmpty();
    return delivered(r, msg);
  }

  /** The one DKIM-Signature inserted, as tag → value (white space removed). */
  static Map<String, String> signatureTags(List<MilterReply> replies) {
    assertThat(inserted(replies, "DKIM-Signature")).hasSize(1);
    return tags(inserted(replies, "DKIM-Signature").get(0).value());
  }

  static Map<String, String> tags(String value) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String t : value.replaceAll("\\s+", "").split(";")) {
      int eq = t.indexOf('=');
      if (eq > 0) {
        tags.put(t.substring(0, eq), t.substring(eq + 1));
      }
    }
    return tags;
  }

  /** The h= tag, lower case, as a list. */
  static List<String> signedFields(List<MilterReply> replies) {
    return Arrays.asList(signatureTags(replies).get("h").toLowerCase(Locale.ROOT).split(":"));
  }

  static String authenticationResults(List<MilterReply> replies) {
    List<MilterReply.InsertHeader> ar = inserted(replies, "Authentication-Results");
    assertThat(ar).as("%s", replies).hasSize(1);
    return ar.get(0).value();
  }

  @Test
  void modeSelectsSigningVerifyingOrBoth() throws Exception {
    List<String[]> signed = signed(singleKey(""), message("alice@example.com"));

    DkimPolicy signOnly = singleKey("Mode s");
    assertThat(inserted(send(signOnly, INTERNAL, "alice@example.com"), "DKIM-Signature"))
        .hasSize(1);
    assertThat(run(signOnly, EXTERNAL, Map.of(), signed, BODY))
        .containsExactly(new MilterReply.Continue());

    DkimPolicy verifyOnly = singleKey("Mode v");
    assertThat(inserted(send(verifyOnly, INTERNAL, "alice@example.com"), "DKIM-Signature"))
        .isEmpty();
    assertThat(authenticationResults(run(verifyOnly, EXTERNAL, Map.of(), signed, BODY)))
        .contains("dkim=pass");

    DkimPolicy both = singleKey("Mode sv");
    assertThat(inserted(send(both, INTERNAL, "alice@example.com"), "DKIM-Signature")).hasSize(1);
    assertThat(authenticationResults(run(both, EXTERNAL, Map.of(), signed, BODY)))
        .contains("dkim=pass");
  }

  @Test
  void canonicalizationSetsTheCTagAndVerifies() throws Exception {
    Map<String, String> expected =
        Map.of(
            "", "simple/simple", // OpenDKIM's default
            "Canonicalization relaxed", "relaxed/simple", // one value: the header's
            "Canonicalization simple/relaxed", "simple/relaxed",
            "Canonicalization relaxed/relaxed", "relaxed/relaxed");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<String[]> msg = message("alice@example.com");
      msg.add(new String[] {"X-Spaced", "  lots   of\tspace  "});
      List<MilterReply> r = run(singleKey(e.getKey()), INTERNAL, Map.of(), msg, BODY);
      assertThat(signatureTags(r).get("c")).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(fx.verify(delivered(r, msg), BODY))
          .as(e.getKey())
          .singleElement()
          .matches(VerificationResult::passed);
    }
  }

  @Test
  void domainListNamesEverySigningDomain() throws Exception {
    fx.dns.put("sel._domainkey.example.net", fx.dns.get("sel._domainkey.example.com")); // same key
    DkimPolicy p =
        policy("Domain csl:example.com,example.net\nSelector sel\nKeyFile " + fx.rsa + "\n");
    List<String[]> msg = message("joe@example.net");
    List<MilterReply> net = run(p, INTERNAL, Map.of(), msg, BODY);
    assertThat(signatureTags(net)).containsEntry("d", "example.net");
    assertThat(fx.verify(delivered(net, msg), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
    assertThat(signatureTags(send(p, INTERNAL, "alice@example.com")))
        .containsEntry("d", "example.com");
    assertThat(inserted(send(p, INTERNAL, "x@example.org"), "DKIM-Signature")).isEmpty();
  }

  @Test
  void internalHostsDecideWhoseMailIsSigned() throws Exception {
    DkimPolicy defaults = singleKey("");
    assertThat(inserted(send(defaults, "127.0.0.1", "alice@example.com"), "DKIM-Signature"))
        .hasSize(1);
    assertThat(inserted(send(defaults, "::1", "alice@example.com"), "DKIM-Signature")).hasSize(1);
    assertThat(send(defaults, "192.0.2.9", "alice@example.com"))
        .containsExactly(new MilterReply.Accept()); // verified: no signature, accept

    DkimPolicy custom = singleKey("InternalHosts csl:192.0.2.0/24,2001:db8::/32");
    assertThat(inserted(send(custom, "192.0.2.9", "alice@example.com"), "DKIM-Signature"))
        .hasSize(1);
    assertThat(inserted(send(custom, "2001:db8::25", "alice@example.com"), "DKIM-Signature"))
        .hasSize(1);
    assertThat(send(custom, "127.0.0.1", "alice@example.com"))
        .containsExactly(new MilterReply.Accept());
  }

  @Test
  void externalIgnoreListSilencesTheSigningDomainWarning() throws Exception {
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    Logger logger = (Logger) LoggerFactory.getLogger(DkimMilterHandler.class);
    log.start();
    logger.addAppender(log);
    try {
      send(singleKey(""), EXTERNAL, "alice@example.com");
      assertThat(log.list)
          .map(ILoggingEvent::getFormattedMessage)
          .anyMatch(l -> l.contains("external host") && l.contains("as example.com"));
      log.list.clear();
      List<MilterReply> ignored =
          send(singleKey("ExternalIgnoreList csl:198.51.100.0/24"), EXTERNAL, "alice@example.com");
      assertThat(log.list)
          .map(ILoggingEvent::getFormattedMessage)
          .noneMatch(l -> l.contains("external host"));
      // Only the warning changes: the mail is still verified, not signed.
      assertThat(ignored).containsExactly(new MilterReply.Accept());
    } finally {
      logger.detachAppender(log);
    }
  }

  @Test
  void subDomainsSignsMailFromSubdomainsWithTheParentName() throws Exception {
    List<String[]> msg = message("alice@mail.example.com");
    assertThat(inserted(run(singleKey(""), INTERNAL, Map.of(), msg, BODY), "DKIM-Signature"))
        .isEmpty();
    List<MilterReply> r = run(singleKey("SubDomains yes"), INTERNAL, Map.of(), msg, BODY);
    assertThat(signatureTags(r)).containsEntry("d", "example.com");
    assertThat(fx.verify(delivered(r, msg), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
  }

  @Test
  void signHeadersChoosesTheSignedFields() throws Exception {
    List<String[]> msg = message("alice@example.com");
    msg.add(new String[] {"X-Custom", " custom"});
    assertThat(signedFields(run(singleKey(""), INTERNAL, Map.of(), msg, BODY)))
        .containsExactly("from", "subject", "date", "to", "from");
    assertThat(
            signedFields(
                run(singleKey("SignHeaders From,X-Custom"), INTERNAL, Map.of(), msg, BODY)))
        .containsExactly("from", "x-custom", "from");
    List<MilterReply> delta =
        run(singleKey("SignHeaders *,+X-Custom,-Date"), INTERNAL, Map.of(), msg, BODY);
    assertThat(signedFields(delta)).containsExactly("from", "subject", "to", "x-custom", "from");
    assertThat(fx.verify(delivered(delta, msg), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
  }

  @Test
  void omitHeadersLeavesFieldsUnsigned() throws Exception {
    List<String[]> msg = message("alice@example.com");
    List<MilterReply> r = run(singleKey("OmitHeaders Subject,Date"), INTERNAL, Map.of(), msg, BODY);
    assertThat(signedFields(r)).containsExactly("from", "to", "from");
    List<String[]> changed = delivered(r, msg);
    changed.replaceAll(h -> h[0].equals("Subject") ? new String[] {"Subject", " changed"} : h);
    assertThat(fx.verify(changed, BODY)).singleElement().matches(VerificationResult::passed);
  }

  @Test
  void oversignHeadersListsFieldsOnceMoreThanPresent() throws Exception {
    List<String[]> msg = message("alice@example.com");
    List<MilterReply> r =
        run(singleKey("OversignHeaders From,Subject,Reply-To"), INTERNAL, Map.of(), msg, BODY);
    assertThat(signedFields(r))
        .containsExactly("from", "subject", "date", "to", "from", "subject", "reply-to");
    List<String[]> out = delivered(r, msg);
    assertThat(fx.verify(out, BODY)).singleElement().matches(VerificationResult::passed);
    List<String[]> added = new ArrayList<>(out);
    added.add(new String[] {"Reply-To", " mallory@example.net"});
    assertThat(fx.verify(added, BODY))
        .singleElement()
        .matches(v -> !v.passed(), "an added Reply-To breaks it");
  }

  @Test
  void signatureTtlSetsTheExpiryThatVerifiersEnforce() throws Exception {
    Map<String, String> plain = signatureTags(send(singleKey(""), INTERNAL, "alice@example.com"));
    assertThat(plain).doesNotContainKey("x");

    String conf = "Domain example.com\nSelector sel\nKeyFile " + fx.rsa + "\n";
    DkimPolicy ttl = policy(conf + "SignatureTTL 3600\n", () -> T);
    List<String[]> msg = message("alice@example.com");
    List<MilterReply> r = run(ttl, INTERNAL, Map.of(), msg, BODY);
    assertThat(signatureTags(r))
        .containsEntry("t", Long.toString(T))
        .containsEntry("x", Long.toString(T + 3600));
    List<String[]> out = delivered(r, msg);
    assertThat(
            authenticationResults(run(policy(conf, () -> T + 3599), EXTERNAL, Map.of(), out, BODY)))
        .contains("dkim=pass");
    assertThat(
            authenticationResults(run(policy(conf, () -> T + 3601), EXTERNAL, Map.of(), out, BODY)))
        .contains("dkim=fail")
        .contains("expired");
  }

  @Test
  void multipleSignaturesSignsWithEveryMatchingKey() throws Exception {
    Files.writeString(
        dir.resolve("keys"),
        "rsa example.com:sel:" + fx.rsa + "\ned example.com:ed:" + fx.ed + "\n");
    Files.writeString(dir.resolve("signing"), "*@example.com rsa\n*@example.com ed\n");
    String tables =
        "KeyTable file:"
            + dir.resolve("keys")
            + "\nSigningTable refile:"
            + dir.resolve("signing")
            + "\n";
    List<MilterReply> one = send(policy(tables), INTERNAL, "alice@example.com");
    assertThat(signatureTags(one)).containsEntry("s", "sel");
    List<MilterReply> two =
        send(policy(tables + "MultipleSignatures yes\n"), INTERNAL, "a@example.com");
    assertThat(inserted(two, "DKIM-Signature"))
        .extracting(i -> tags(i.value()).get("s"))
        .containsExactlyInAnyOrder("sel", "ed");
  }

  @Test
  void removeOldSignaturesDeletesExistingSignatureFields() throws Exception {
    List<String[]> msg = message("alice@example.com");
    msg.add(
        0,
        new String[] {
          "DKIM-Signature", " v=1; a=rsa-sha256; d=old.example; s=x; h=from; bh=AA==; b=AA=="
        });
    msg.add(
        new String[] {
          "DKIM-Signature", " v=1; a=rsa-sha256; d=older.example; s=y; h=from; bh=AA==; b=AA=="
        });
    List<MilterReply> kept = run(singleKey(""), INTERNAL, Map.of(), msg, BODY);
    assertThat(kept).noneMatch(MilterReply.ChangeHeader.class::isInstance);
    assertThat(inserted(kept, "DKIM-Signature")).hasSize(1);

    List<MilterReply> removed =
        run(singleKey("RemoveOldSignatures yes"), INTERNAL, Map.of(), msg, BODY);
    assertThat(removed)
        .filteredOn(MilterReply.ChangeHeader.class::isInstance)
        .containsExactlyInAnyOrder(
            new MilterReply.ChangeHeader(1, "DKIM-Signature", ""),
            new MilterReply.ChangeHeader(2, "DKIM-Signature", ""));
    assertThat(inserted(removed, "DKIM-Signature")).hasSize(1);
    assertThat(last(removed)).isInstanceOf(MilterReply.Continue.class);
  }

  @Test
  void minimumKeyBitsRejectsShorterRsaKeys() throws Exception {
    // "old" is RFC 8463's 1024-bit RSA key, published by the fixture.
    List<String[]> msg = message("alice@example.com");
    String oldKey = "Domain example.com\nSelector old\nKeyFile " + fx.rsa1024 + "\n";
    List<String[]> signed = signed(policy(oldKey), msg);
    assertThat(authenticationResults(run(policy(oldKey), EXTERNAL, Map.of(), signed, BODY)))
        .contains("dkim=pass");
    List<MilterReply> strict =
        run(policy(oldKey + "MinimumKeyBits 2048\n"), EXTERNAL, Map.of(), signed, BODY);
    assertThat(authenticationResults(strict))
        .contains("dkim=permerror")
        .contains("key too short")
        .doesNotContain("dkim=pass");
    assertThat(last(strict)).isInstanceOf(MilterReply.Accept.class); // On-BadSignature
  }

  @Test
  void maximumSignaturesToVerifyStopsAfterTheLimit() throws Exception {
    DkimPolicy p = singleKey("");
    List<String[]> msg = message("alice@example.com");
    // On top a signature over another body (fails here), below it a good one.
    List<MilterReply> other = run(p, INTERNAL, Map.of(), msg, BODY + "other\r\n");
    List<String[]> twice = delivered(other, signed(p, msg));
    assertThat(twice.get(0)[0]).isEqualTo("DKIM-Signature");
    assertThat(twice.get(1)[0]).isEqualTo("DKIM-Signature");

    String all = authenticationResults(run(p, EXTERNAL, Map.of(), twice, BODY));
    assertThat(all).contains("dkim=fail").contains("dkim=pass");
    List<MilterReply> one =
        run(singleKey("MaximumSignaturesToVerify 1"), EXTERNAL, Map.of(), twice, BODY);
    assertThat(authenticationResults(one)).contains("dkim=fail").doesNotContain("dkim=pass");
    DkimPolicy strict = singleKey("MaximumSignaturesToVerify 1\nOn-BadSignature reject");
    assertThat(run(strict, EXTERNAL, Map.of(), twice, BODY))
        .containsExactly(new MilterReply.Reject());
    assertThat(last(run(singleKey("On-BadSignature reject"), EXTERNAL, Map.of(), twice, BODY)))
        .isInstanceOf(MilterReply.Continue.class);
  }

  @Test
  void clockDriftBoundsTimestampsInTheFuture() throws Exception {
    String conf = "Domain example.com\nSelector sel\nKeyFile " + fx.rsa + "\n";
    List<String[]> msg = message("alice@example.com");
    // Signed by a host whose clock is ten minutes ahead.
    List<MilterReply> r = run(policy(conf, () -> T + 600), INTERNAL, Map.of(), msg, BODY);
    assertThat(signatureTags(r)).containsEntry("t", Long.toString(T + 600));
    List<String[]> ahead = delivered(r, msg);

    String byDefault =
        authenticationResults(run(policy(conf, () -> T), EXTERNAL, Map.of(), ahead, BODY));
    assertThat(byDefault).contains("dkim=fail").contains("future"); // default drift: 300 s
    String tolerant =
        authenticationResults(
            run(policy(conf + "ClockDrift 900\n", () -> T), EXTERNAL, Map.of(), ahead, BODY));
    assertThat(tolerant).contains("dkim=pass");
    String strict =
        authenticationResults(
            run(policy(conf + "ClockDrift 599\n", () -> T), EXTERNAL, Map.of(), ahead, BODY));
    assertThat(strict).contains("dkim=fail");
  }

  @Test
  void authservIdNamesTheResultsAndTheFieldsWeRemove() throws Exception {
    List<String[]> signed = signed(singleKey(""), message("alice@example.com"));
    assertThat(authenticationResults(run(singleKey(""), EXTERNAL, Map.of(), signed, BODY)))
        .startsWith(" mx.example.net;"); // default: the host name
    assertThat(
            authenticationResults(
                run(singleKey("AuthservID HOSTNAME"), EXTERNAL, Map.of(), signed, BODY)))
        .startsWith(" mx.example.net;");

    List<String[]> forged = new ArrayList<>(signed);
    forged.add(new String[] {"Authentication-Results", " auth.example.org; dkim=pass"});
    List<MilterReply> r =
        run(singleKey("AuthservID auth.example.org"), EXTERNAL, Map.of(), forged, BODY);
    assertThat(authenticationResults(r)).startsWith(" auth.example.org;").contains("dkim=pass");
    assertThat(r).contains(new MilterReply.ChangeHeader(1, "Authentication-Results", ""));
    assertThat(run(singleKey(""), EXTERNAL, Map.of(), forged, BODY))
        .noneMatch(MilterReply.ChangeHeader.class::isInstance);
  }

  @Test
  void onDefaultSetsEveryActionNotGivenItsOwnKey() throws Exception {
    List<String[]> signed = signed(singleKey(""), message("alice@example.com"));
    DkimPolicy rejecting = singleKey("On-Default reject");
    assertThat(send(rejecting, EXTERNAL, "x@example.org"))
        .containsExactly(new MilterReply.Reject()); // On-NoSignature
    assertThat(run(rejecting, EXTERNAL, Map.of(), signed, BODY + "x\r\n"))
        .containsExactly(new MilterReply.Reject()); // On-BadSignature
    assertThat(last(run(rejecting, EXTERNAL, Map.of(), signed, BODY)))
        .isInstanceOf(MilterReply.Continue.class); // a pass is no action
    // A specific key wins over On-Default, whichever comes first in the file.
    DkimPolicy specific = singleKey("On-NoSignature accept\nOn-Default reject");
    assertThat(send(specific, EXTERNAL, "x@example.org")).containsExactly(new MilterReply.Accept());
    assertThat(run(specific, EXTERNAL, Map.of(), signed, BODY + "x\r\n"))
        .containsExactly(new MilterReply.Reject());
    // On-Default also covers the DNS-error default (tempfail) with its own value.
    fx.dns.put("sel._domainkey.example.com", new KeyLookupResult.TempFail("SERVFAIL"));
    assertThat(run(singleKey("On-Default discard"), EXTERNAL, Map.of(), signed, BODY))
        .containsExactly(new MilterReply.Discard());
  }

  @Test
  void onDnsErrorDecidesATemporaryKeyLookupFailure() throws Exception {
    List<String[]> signed = signed(singleKey(""), message("alice@example.com"));
    fx.dns.put("sel._domainkey.example.com", new KeyLookupResult.TempFail("SERVFAIL"));
    assertThat(run(singleKey(""), EXTERNAL, Map.of(), signed, BODY))
        .containsExactly(new MilterReply.Tempfail());
    List<MilterReply> accepted =
        run(singleKey("On-DNSError accept"), EXTERNAL, Map.of(), signed, BODY);
    assertThat(authenticationResults(accepted)).contains("dkim=temperror");
    assertThat(last(accepted)).isInstanceOf(MilterReply.Accept.class);
    assertThat(run(singleKey("On-DNSError reject"), EXTERNAL, Map.of(), signed, BODY))
        .containsExactly(new MilterReply.Reject());
  }

  @Test
  void onInternalErrorDecidesAKeyThatCannotBeReadNow() throws Exception {
    Path perDomain = dir.resolve("example.com.key");
    Files.copy(fx.rsa, perDomain);
    Files.writeString(dir.resolve("keys"), "k %:sel:" + dir + "/%.key\n");
    Files.writeString(dir.resolve("signing"), "example.com k\n");
    String tables =
        "KeyTable file:"
            + dir.resolve("keys")
            + "\nSigningTable file:"
            + dir.resolve("signing")
            + "\n";
    assertThat(
            inserted(
                send(policy(tables + "On-InternalError accept\n"), INTERNAL, "alice@example.com"),
                "DKIM-Signature"))
        .as("while the key is there")
        .hasSize(1);
    // Built before the key goes (a key read once is kept, so these never read it).
    DkimPolicy byDefault = policy(tables);
    DkimPolicy accepting = policy(tables + "On-InternalError accept\n");
    DkimPolicy rejecting = policy(tables + "On-InternalError reject\n");
    Files.delete(perDomain);
    assertThat(send(byDefault, INTERNAL, "alice@example.com"))
        .containsExactly(new MilterReply.Tempfail());
    assertThat(send(accepting, INTERNAL, "alice@example.com"))
        .containsExactly(new MilterReply.Accept());
    assertThat(send(rejecting, INTERNAL, "alice@example.com"))
        .containsExactly(new MilterReply.Reject());
  }

  @Test
  void onNoSignatureDecidesUnsignedMail() throws Exception {
    assertThat(send(singleKey(""), EXTERNAL, "x@example.org"))
        .containsExactly(new MilterReply.Accept());
    assertThat(send(singleKey("On-NoSignature reject"), EXTERNAL, "x@example.org"))
        .containsExactly(new MilterReply.Reject());
    assertThat(send(singleKey("On-NoSignature tempfail"), EXTERNAL, "x@example.org"))
        .containsExactly(new MilterReply.Tempfail());
    assertThat(send(singleKey("On-NoSignature q"), EXTERNAL, "x@example.org"))
        .containsExactly(new MilterReply.Quarantine("DKIM quarantine"), new MilterReply.Accept());
  }

  @Test
  void onSignatureErrorDecidesMailThatCannotBeSigned() throws Exception {
    List<String[]> msg = message("alice@example.com");
    msg.add(new String[] {"From", " mallory@example.com"});
    assertThat(run(singleKey(""), INTERNAL, Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Reject());
    assertThat(run(singleKey("On-SignatureError accept"), INTERNAL, Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Accept());
    assertThat(run(singleKey("On-SignatureError tempfail"), INTERNAL, Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Tempfail());
  }

  @Test
  void mtaNamesDaemonsWhoseMailIsSigned() throws Exception {
    DkimPolicy p = singleKey("MTA csl:MSA,ORIG");
    List<String[]> msg = message("alice@example.com");
    assertThat(
            inserted(run(p, EXTERNAL, Map.of("{daemon_name}", "MSA"), msg, BODY), "DKIM-Signature"))
        .hasSize(1);
    assertThat(
            inserted(
                run(p, EXTERNAL, Map.of("{daemon_name}", "ORIG"), msg, BODY), "DKIM-Signature"))
        .hasSize(1);
    assertThat(run(p, EXTERNAL, Map.of("{daemon_name}", "MX"), msg, BODY))
        .containsExactly(new MilterReply.Accept());
    assertThat(run(singleKey(""), EXTERNAL, Map.of("{daemon_name}", "MSA"), msg, BODY))
        .containsExactly(new MilterReply.Accept());
  }

  @Test
  void requireSafeKeysRefusesAKeyOthersCanRead() throws Exception {
    Files.setPosixFilePermissions(fx.rsa, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> singleKey(""))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("RequireSafeKeys");
    assertThatThrownBy(() -> singleKey("RequireSafeKeys yes")).isInstanceOf(PolicyException.class);
    List<MilterReply> r = send(singleKey("RequireSafeKeys no"), INTERNAL, "alice@example.com");
    assertThat(inserted(r, "DKIM-Signature")).hasSize(1);
  }

  @Test
  void acceptSha1LetsLegacyRsaSha1SignaturesPass() throws Exception {
    List<String[]> msg = message("alice@example.com");
    msg.remove(2); // the folded Subject: h= below signs From, To and Date
    msg.add(0, new String[] {"DKIM-Signature", rsaSha1Signature(msg)});
    String strict = authenticationResults(run(singleKey(""), EXTERNAL, Map.of(), msg, BODY));
    assertThat(strict).contains("dkim=policy").doesNotContain("dkim=pass");
    String legacy =
        authenticationResults(run(singleKey("AcceptSHA1 yes"), EXTERNAL, Map.of(), msg, BODY));
    assertThat(legacy).contains("dkim=pass").contains("header.a=rsa-sha1");
  }

  /**
   * An rsa-sha1 signature (which Inkan never makes) by the "sel" key, simple/simple, over From, To
   * and Date and {@link DkimMilterHandlerTest#BODY}, built by hand after RFC 6376 §3.7.
   */
  private String rsaSha1Signature(List<String[]> headers) throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
    String bh = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(body));
    StringBuilder block = new StringBuilder();
    for (String name : List.of("From", "To", "Date")) {
      String[] h = headers.stream().filter(f -> f[0].equals(name)).findFirst().orElseThrow();
      block.append(h[0]).append(':').append(h[1]).append("\r\n");
    }
    String value =
        " v=1; a=rsa-sha1; c=simple/simple; d=example.com; s=sel; h=From:To:Date; bh="
            + bh
            + "; b=";
    block.append("DKIM-Signature:").append(value);
    Signature rsa = Signature.getInstance("SHA1withRSA");
    rsa.initSign(PrivateKeyReader.read(Files.readString(fx.rsa)).privateKey());
    rsa.update(block.toString().getBytes(StandardCharsets.US_ASCII));
    return value + Base64.getEncoder().encodeToString(rsa.sign());
  }
}
