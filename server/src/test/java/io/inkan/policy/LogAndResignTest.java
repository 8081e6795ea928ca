package io.inkan.policy;

import static io.inkan.policy.DkimMilterHandlerTest.BODY;
import static io.inkan.policy.DkimMilterHandlerTest.delivered;
import static io.inkan.policy.DkimMilterHandlerTest.inserted;
import static io.inkan.policy.DkimMilterHandlerTest.last;
import static io.inkan.policy.DkimMilterHandlerTest.message;
import static io.inkan.policy.DkimMilterHandlerTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.inkan.dkim.VerificationResult;
import io.inkan.milter.MilterReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * SyslogSuccess, LogWhy, LogResults (what OpenDKIM logs, with the queue id), MaximumHeaders, and
 * ResignMailTo/ResignAll, each through a real milter session.
 */
class LogAndResignTest {
  @TempDir Path dir;
  final DkimMilterHandlerTest fx = new DkimMilterHandlerTest();
  final ListAppender<ILoggingEvent> log = new ListAppender<>();
  final Logger logger = (Logger) LoggerFactory.getLogger(DkimMilterHandler.class);
  ch.qos.logback.classic.Level level;

  @BeforeEach
  void setUp() throws Exception {
    fx.dir = dir;
    fx.keys();
    log.start();
    level = logger.getLevel();
    logger.setLevel(ch.qos.logback.classic.Level.INFO);
    logger.addAppender(log);
  }

  @AfterEach
  void detach() {
    logger.detachAppender(log);
    logger.setLevel(level);
  }

  List<String> lines() {
    return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  /** A message signed by example.com's "sel" key, as an internal client would get it. */
  List<String[]> signedMessage() throws Exception {
    List<String[]> msg = message("alice@example.com");
    return delivered(run(fx.singleKey(""), "127.0.0.1", Map.of(), msg, BODY), msg);
  }

  @Test
  void syslogSuccessLogsEachAddedSignature() throws Exception {
    run(fx.singleKey(""), "127.0.0.1", Map.of(), message("alice@example.com"), BODY);
    assertThat(lines()).noneMatch(l -> l.contains("field added"));
    run(fx.singleKey("SyslogSuccess yes"), "127.0.0.1", Map.of(), message("a@example.com"), BODY);
    assertThat(lines()).contains("4Q1: DKIM-Signature field added (s=sel, d=example.com)");
  }

  @Test
  void syslogSuccessAndLogResultsOnVerification() throws Exception {
    List<String[]> signed = signedMessage();
    log.list.clear();
    run(fx.singleKey(""), "198.51.100.7", Map.of(), signed, BODY);
    assertThat(lines()).noneMatch(l -> l.contains("successful") || l.contains("signature="));
    run(fx.singleKey("SyslogSuccess yes\nLogResults yes"), "198.51.100.7", Map.of(), signed, BODY);
    assertThat(lines()).contains("4Q1: DKIM verification successful");
    assertThat(lines())
        .anyMatch(
            l ->
                l.matches(
                    "4Q1: signature=\\S{8} domain=example\\.com selector=sel"
                        + " result=\"no signature error\""));
  }

  @Test
  void logResultsNamesWhyASignatureFailed() throws Exception {
    List<String[]> signed = signedMessage();
    run(fx.singleKey("LogResults yes"), "198.51.100.7", Map.of(), signed, BODY + "tampered\r\n");
    assertThat(lines())
        .anyMatch(l -> l.startsWith("4Q1: signature=") && l.contains("domain=example.com"))
        .contains("4Q1: bad signature data");
  }

  @Test
  void logWhyExplainsTheDecision() throws Exception {
    List<String[]> unsigned = message("carol@example.org");
    run(fx.singleKey(""), "198.51.100.7", Map.of(), unsigned, BODY);
    run(fx.singleKey(""), "127.0.0.1", Map.of(), unsigned, BODY);
    assertThat(lines())
        .noneMatch(l -> l.contains("no signature data") || l.contains("no signing table match"));
    run(fx.singleKey("LogWhy yes"), "198.51.100.7", Map.of(), unsigned, BODY);
    assertThat(lines())
        .contains(
            "4Q1: client.example [198.51.100.7] not internal",
            "4Q1: not authenticated",
            "4Q1: no signature data");
    run(fx.singleKey("LogWhy yes"), "127.0.0.1", Map.of(), unsigned, BODY);
    assertThat(lines()).contains("4Q1: no signing table match for 'carol@example.org'");
  }

  @Test
  void noSignatureIsLoggedWhenTheActionIsNotAccept() throws Exception {
    run(
        fx.singleKey("On-NoSignature reject"),
        "198.51.100.7",
        Map.of(),
        message("carol@example.org"),
        BODY);
    assertThat(lines()).contains("4Q1: no signature data");
  }

  @Test
  void maximumHeadersSetsTheSecurityLimit() throws Exception {
    List<String[]> msg = message("alice@example.com");
    msg.add(new String[] {"X-Big", " " + "a".repeat(2000)});
    assertThat(run(fx.singleKey("MaximumHeaders 1000"), "127.0.0.1", Map.of(), msg, BODY))
        .containsExactly(new MilterReply.Tempfail());
    List<String[]> huge = message("alice@example.com");
    huge.add(new String[] {"X-Big", " " + "a".repeat(100_000)});
    assertThat(run(fx.singleKey(""), "127.0.0.1", Map.of(), huge, BODY))
        .containsExactly(new MilterReply.Tempfail());
    List<MilterReply> unlimited =
        run(fx.singleKey("MaximumHeaders 0"), "127.0.0.1", Map.of(), huge, BODY);
    assertThat(inserted(unlimited, "DKIM-Signature")).hasSize(1);
  }

  /** A gateway that re-signs mail to relay.example with its own key (seed talk, example 2). */
  DkimPolicy gateway(String extra) throws Exception {
    Path gw = dir.resolve("rsa.private");
    fx.publish("gw", "relay.example", gw);
    Files.writeString(dir.resolve("keys"), "gwkey relay.example:gw:" + gw + "\n");
    Files.writeString(dir.resolve("signing"), "example.com gwkey\n");
    Files.writeString(dir.resolve("resign"), ".relay.example gwkey\nlist@lists.example gwkey\n");
    return fx.policy(
        "KeyTable file:"
            + dir.resolve("keys")
            + "\nSigningTable file:"
            + dir.resolve("signing")
            + "\nResignMailTo file:"
            + dir.resolve("resign")
            + "\n"
            + extra);
  }

  @Test
  void resignMailToVerifiesAndSignsAgainWhenASignaturePassed() throws Exception {
    List<String[]> signed = signedMessage();
    List<MilterReply> replies =
        run(gateway(""), "198.51.100.7", Map.of(), List.of("<bob@mx.relay.example>"), signed, BODY);
    assertThat(last(replies)).isInstanceOf(MilterReply.Continue.class);
    assertThat(inserted(replies, "Authentication-Results").get(0).value())
        .contains("dkim=pass", "header.d=example.com");
    assertThat(inserted(replies, "DKIM-Signature").get(0).value()).contains("d=relay.example");
    List<VerificationResult> both = fx.verify(delivered(replies, signed), BODY);
    assertThat(both).hasSize(2).allMatch(VerificationResult::passed);
  }

  @Test
  void resignMailToMatchesAFullAddress() throws Exception {
    List<MilterReply> replies =
        run(
            gateway(""),
            "198.51.100.7",
            Map.of(),
            List.of("<list@lists.example>"),
            signedMessage(),
            BODY);
    assertThat(inserted(replies, "DKIM-Signature")).hasSize(1);
  }

  @Test
  void unverifiedMailIsResignedOnlyWithResignAll() throws Exception {
    List<String[]> unsigned = message("carol@example.org");
    List<String> rcpt = List.of("<bob@mx.relay.example>");
    List<MilterReply> plain = run(gateway(""), "198.51.100.7", Map.of(), rcpt, unsigned, BODY);
    assertThat(inserted(plain, "DKIM-Signature")).isEmpty();
    List<MilterReply> all =
        run(gateway("ResignAll yes"), "198.51.100.7", Map.of(), rcpt, unsigned, BODY);
    assertThat(inserted(all, "DKIM-Signature").get(0).value()).contains("d=relay.example");
    assertThat(fx.verify(delivered(all, unsigned), BODY))
        .singleElement()
        .matches(VerificationResult::passed);
  }

  @Test
  void otherRecipientsAreOnlyVerified() throws Exception {
    List<MilterReply> replies =
        run(
            gateway(""),
            "198.51.100.7",
            Map.of(),
            List.of("<bob@elsewhere.example>"),
            signedMessage(),
            BODY);
    assertThat(inserted(replies, "DKIM-Signature")).isEmpty();
    assertThat(inserted(replies, "Authentication-Results").get(0).value()).contains("dkim=pass");
  }
}
