package io.inkan.dns;

import io.inkan.config.Config;
import io.inkan.config.ConfigLoader;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.KeyRecordLookup;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.SignResult;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.milter.MilterCommand;
import io.inkan.milter.MilterReply;
import io.inkan.milter.MilterSession;
import io.inkan.policy.DkimMilterHandler;
import io.inkan.policy.DkimPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Messages signed by example.com under a few selectors, and their verification. */
final class SignedMessages {
  static final SigningKey RSA = rsaKey(1024);
  static final SigningKey OTHER = rsaKey(1024);
  static final SigningKey RSA_2048 = rsaKey(2048);
  static final SigningKey RSA_4096 = rsaKey(4096);

  static final String HEADERS =
      "From: Joe <joe@example.com>\r\nTo: sue@example.org\r\nSubject: hi\r\n";
  static final String BODY = "Hello.\r\n";

  private SignedMessages() {}

  static SigningKey rsaKey(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      byte[] pkcs8 = g.generateKeyPair().getPrivate().getEncoded();
      return PrivateKeyReader.read(Base64.getEncoder().encodeToString(pkcs8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key record publishing {@code key}. */
  static String record(SigningKey key) {
    return "v=DKIM1; k=rsa; p=" + key.publicKeyBase64();
  }

  /** The key a selector's records in {@link RealDnsLookupTest} publish. */
  static SigningKey keyOf(String selector) {
    return switch (selector) {
      case "split" -> RSA_2048;
      case "big" -> RSA_4096;
      default -> RSA;
    };
  }

  /** The DKIM-Signature field (CRLF folding) for {@code s=selector; d=example.com}, signed now. */
  static String signature(String selector) {
    DkimSigner signer =
        new DkimSigner(
            SignerSettings.of("example.com", selector, keyOf(selector))
                .withOptions(false, false, OptionalLong.empty()));
    SigningSession session = signer.newSession(System.currentTimeMillis() / 1000);
    byte[] message = (HEADERS + "\r\n" + BODY).getBytes(StandardCharsets.ISO_8859_1);
    MessageParser parser = new MessageParser(session);
    parser.update(message, 0, message.length);
    parser.finish();
    SignResult result = signer.finish(session);
    return ((SignResult.Signed) result).field().raw();
  }

  /** The whole signed message. */
  static byte[] signed(String selector) {
    return (signature(selector) + "\r\n" + HEADERS + "\r\n" + BODY)
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The one signature's result, verified with the default settings. */
  static VerificationResult verify(byte[] message, KeyRecordLookup lookup) {
    VerificationSession session =
        new DkimVerifier(VerifierSettings.defaults(), lookup).newSession();
    MessageParser parser = new MessageParser(session);
    parser.update(message, 0, message.length);
    parser.finish();
    List<VerificationResult> results = session.finish(Runnable::run).toCompletableFuture().join();
    if (results.size() != 1) {
      throw new AssertionError("one result expected: " + results);
    }
    return results.get(0);
  }

  /**
   * The message signed under {@code selector}, from an external client through a verifying milter
   * configured by {@code Mode v} and {@code conf} (its DNS keys included); the end-of-message
   * replies.
   */
  static List<MilterReply> throughMilter(String conf, String selector) throws Exception {
    Path dir = Files.createTempDirectory("inkan-dns-milter");
    try {
      Path file = Files.writeString(dir.resolve("inkan.conf"), "Mode v\n" + conf);
      Config config = ConfigLoader.load(file).config();
      DkimPolicy policy =
          DkimPolicy.from(
              config,
              new DkimPolicy.Services(
                  KeyRecordLookups.from(config.dns()), Runnable::run, "mx.example.net"));
      MilterSession s =
          new MilterSession(new DkimMilterHandler(policy), DkimMilterHandler.wants(policy));
      s.handle(new MilterCommand.Negotiate(6, 0x1ff, 0x1fffff));
      s.handle(new MilterCommand.Connect("client.example", '4', 4711, "198.51.100.7"));
      s.handle(new MilterCommand.Mail(List.of("<joe@example.com>")));
      s.handle(new MilterCommand.Macros('N', Map.of("i", "4Q1")));
      for (String field : (signature(selector) + "\r\n" + HEADERS).split("\r\n(?![ \t])")) {
        int colon = field.indexOf(':');
        s.handle(
            new MilterCommand.Header(
                field.substring(0, colon), field.substring(colon + 1).replace("\r\n", "\n")));
      }
      s.handle(new MilterCommand.EndOfHeaders());
      s.handle(new MilterCommand.BodyChunk(BODY.getBytes(StandardCharsets.ISO_8859_1)));
      MilterSession.Outcome eom = s.handle(new MilterCommand.EndOfMessage());
      MilterSession.Reply reply =
          ((MilterSession.Pending) eom).reply().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return reply.replies();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The value of the one Authentication-Results field the replies insert. */
  static String authenticationResults(List<MilterReply> replies) {
    List<String> ar =
        replies.stream()
            .filter(
                r ->
                    r instanceof MilterReply.InsertHeader i
                        && i.name().equals("Authentication-Results"))
            .map(r -> ((MilterReply.InsertHeader) r).value())
            .toList();
    if (ar.size() != 1) {
      throw new AssertionError("one Authentication-Results field expected: " + replies);
    }
    return ar.get(0);
  }
}
