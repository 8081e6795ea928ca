package io.inkan.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dkim.DkimAlgorithm.KeyType;
import io.inkan.dkim.DkimResult;
import io.inkan.dkim.DkimSigner;
import io.inkan.dkim.DkimVerifier;
import io.inkan.dkim.KeyLookupResult;
import io.inkan.dkim.MessageParser;
import io.inkan.dkim.MessageSink;
import io.inkan.dkim.SignResult;
import io.inkan.dkim.SignerSettings;
import io.inkan.dkim.SigningSession;
import io.inkan.dkim.VerificationResult;
import io.inkan.dkim.VerificationSession;
import io.inkan.dkim.VerifierSettings;
import io.inkan.dkim.crypto.PrivateKeyReader;
import io.inkan.dkim.crypto.SigningKey;
import io.inkan.testing.Prerequisites;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenkeyCommandTest {
  private static final String MESSAGE =
      "From: Alice <alice@example.org>\r\n"
          + "To: bob@example.net\r\n"
          + "Subject: genkey round trip\r\n"
          + "Date: Fri, 28 Nov 2025 10:00:00 +0000\r\n"
          + "Message-ID: <genkey@example.org>\r\n"
          + "\r\n"
          + "Hello, world.\r\n";

  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

  @TempDir Path dir;

  record Run(int status, String err) {}

  static Stream<Arguments> keyKinds() {
    return Stream.of(
        Arguments.of(List.of("-b", "1024"), KeyType.RSA, 1024, "-----BEGIN RSA PRIVATE KEY-----"),
        Arguments.of(List.of(), KeyType.RSA, 2048, "-----BEGIN RSA PRIVATE KEY-----"),
        Arguments.of(List.of("--ed25519"), KeyType.ED25519, 256, "-----BEGIN PRIVATE KEY-----"));
  }

  @ParameterizedTest
  @MethodSource("keyKinds")
  void writesKeyAndRecordThatSignAndVerify(
      List<String> extra, KeyType type, int bits, String pemHeader) throws Exception {
    List<String> args = new ArrayList<>(List.of("-D", dir.toString(), "-d", "example.org"));
    args.addAll(extra);
    Run run = genkey(args.toArray(String[]::new));

    assertThat(run.status()).as(run.err()).isZero();
    assertThat(run.err()).isEmpty();
    Path privateFile = dir.resolve("default.private");
    assertThat(Files.getPosixFilePermissions(privateFile))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    String pem = Files.readString(privateFile);
    assertThat(pem).startsWith(pemHeader + "\n");
    SigningKey key = PrivateKeyReader.read(pem);
    assertThat(key.type()).isEqualTo(type);
    assertThat(key.bits()).isEqualTo(bits);

    String txt = Files.readString(dir.resolve("default.txt"));
    String record = recordText(txt);
    assertThat(record)
        .isEqualTo("v=DKIM1; h=sha256; k=" + type.tagValue() + "; p=" + key.publicKeyBase64());
    assertThat(txt).startsWith("default._domainkey\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=");
    assertThat(txt).endsWith("\" )  ; ----- DKIM key default for example.org\n");
    assertThat(quotedStrings(txt)).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(255));

    VerificationResult result = signAndVerify(key, "example.org", "default", record);
    assertThat(result.result()).as(result.reason()).isEqualTo(DkimResult.PASS);
  }

  @Test
  void ed25519RecordCarriesTheRaw32ByteKey() throws Exception {
    assertThat(genkey("-D", dir.toString(), "--ed25519", "-s", "ed").status()).isZero();
    String record = recordText(Files.readString(dir.resolve("ed.txt")));
    String p = record.substring(record.indexOf("p=") + 2);
    assertThat(java.util.Base64.getDecoder().decode(p)).hasSize(32);
  }

  @Test
  void flagsAppearInTheRecordInOpendkimOrder() throws Exception {
    Run run =
        genkey(
            "-D",
            dir.toString(),
            "-b",
            "1024",
            "-s",
            "s1",
            "-d",
            "example.org",
            "-r",
            "-S",
            "-t",
            "-h",
            "sha1:sha256",
            "-n",
            "hello world",
            "-a",
            "--adsp");

    assertThat(run.status()).as(run.err()).isZero();
    String txt = Files.readString(dir.resolve("s1.txt"));
    assertThat(txt)
        .startsWith(
            "s1._domainkey.example.org.\tIN\tTXT\t( \"v=DKIM1; n=\\\"hello world\\\";"
                + " h=sha1:sha256; k=rsa; t=y:s; s=email; \"\n\t  \"p=");
    assertThat(txt).contains(" )  ; ----- DKIM key s1 for example.org\n");
    assertThat(txt).endsWith("\n_adsp._domainkey.example.org.\tIN\tTXT\t\"dkim=unknown\"\n");

    SigningKey key = PrivateKeyReader.read(Files.readString(dir.resolve("s1.private")));
    VerificationResult result = signAndVerify(key, "example.org", "s1", recordText(txt));
    assertThat(result.result()).as(result.reason()).isEqualTo(DkimResult.PASS);
    assertThat(result.testing()).isTrue();
  }

  @Test
  void singleFlagsAndAdspPolicies() throws Exception {
    assertThat(genkey("-D", dir.toString(), "-b", "1024", "-s", "a", "-S").status()).isZero();
    assertThat(recordText(Files.readString(dir.resolve("a.txt"))))
        .startsWith("v=DKIM1; h=sha256; k=rsa; t=s; p=");

    assertThat(
            genkey("-D", dir.toString(), "-b", "1024", "-s", "b", "-t", "--adsp=discardable")
                .status())
        .isZero();
    String txt = Files.readString(dir.resolve("b.txt"));
    assertThat(recordText(txt)).startsWith("v=DKIM1; h=sha256; k=rsa; t=y; p=");
    assertThat(txt).endsWith("\n_adsp._domainkey\tIN\tTXT\t\"dkim=discardable\"\n");

    assertThat(genkey("-D", dir.toString(), "-b", "1024", "-s", "c", "-h", "").status()).isZero();
    assertThat(recordText(Files.readString(dir.resolve("c.txt")))).startsWith("v=DKIM1; k=rsa; p=");
    assertThat(Files.readString(dir.resolve("c.txt"))).doesNotContain("_adsp");
  }

  @Test
  void longNoteIsEncodedAndSplitIntoShortStrings() throws Exception {
    String note = "ä;=\"\\ " + "x".repeat(300);
    Run run = genkey("-D", dir.toString(), "-b", "1024", "-d", "example.org", "-n", note);

    assertThat(run.status()).as(run.err()).isZero();
    String txt = Files.readString(dir.resolve("default.txt"));
    List<String> strings = quotedStrings(txt);
    assertThat(strings).hasSizeGreaterThan(3);
    assertThat(strings).allSatisfy(s -> assertThat(s.length()).isLessThanOrEqualTo(255));
    String record = recordText(txt);
    assertThat(record).startsWith("v=DKIM1; n=\"=C3=A4=3B=3D\"\\ xxx");
    SigningKey key = PrivateKeyReader.read(Files.readString(dir.resolve("default.private")));
    assertThat(signAndVerify(key, "example.org", "default", record).result())
        .isEqualTo(DkimResult.PASS);
  }

  @Test
  void refusesShortRsaKeys() {
    Run run = genkey("-D", dir.toString(), "-b", "512");

    assertThat(run.status()).isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(run.err()).contains("1024").hasLineCount(1);
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void refusesBadArguments() {
    assertThat(genkey("-D", dir.toString(), "-s", "../escape").status())
        .isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(genkey("-D", dir.toString(), "-d", "bad domain").status())
        .isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(genkey("-D", dir.toString(), "-h", "sha256;x").status())
        .isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(genkey("-D", dir.toString(), "--adsp=sometimes").status())
        .isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(genkey("-D", dir.resolve("missing").toString()).status())
        .isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(dir.toFile().list()).isEmpty();
  }

  @Test
  void neverOverwritesExistingFiles() throws Exception {
    Files.writeString(dir.resolve("default.txt"), "keep me\n");
    Run run = genkey("-D", dir.toString(), "-b", "1024");

    assertThat(run.status()).isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(run.err()).contains("default.txt already exists").hasLineCount(1);
    assertThat(Files.readString(dir.resolve("default.txt"))).isEqualTo("keep me\n");
    assertThat(dir.resolve("default.private")).doesNotExist();

    Files.delete(dir.resolve("default.txt"));
    Files.writeString(dir.resolve("default.private"), "old key\n");
    assertThat(genkey("-D", dir.toString(), "-b", "1024").status()).isEqualTo(InkanMain.EXIT_USAGE);
    assertThat(Files.readString(dir.resolve("default.private"))).isEqualTo("old key\n");
    assertThat(dir.resolve("default.txt")).doesNotExist();
  }

  @Test
  void helpIsLongOnlyAndMentionsSafety() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int status;
    try {
      System.setOut(new PrintStream(out, true, UTF_8));
      status = InkanMain.run("genkey", "--help");
    } finally {
      System.setOut(saved);
    }
    assertThat(status).isZero();
    assertThat(out.toString(UTF_8)).contains("never overwrites").contains("-h, --hash-algorithms");
  }

  @Test
  void verboseReportsWhatWasWritten() {
    Run run = genkey("-D", dir.toString(), "-b", "1024", "-v");

    assertThat(run.status()).isZero();
    assertThat(run.err()).contains("default.private").contains("default.txt");
  }

  /** The layout, with key bytes masked, is opendkim-genkey's for the same flags. */
  @ParameterizedTest
  @MethodSource("opendkimFlagSets")
  void layoutMatchesOpendkimGenkey(List<String> flags) throws Exception {
    Optional<Path> opendkim = onPath("opendkim-genkey");
    Prerequisites.require(opendkim.isPresent(), "opendkim-genkey (Debian package opendkim-tools)");
    Path theirs = Files.createDirectory(dir.resolve("theirs"));
    Path ours = Files.createDirectory(dir.resolve("ours"));
    List<String> common = List.of("-s", "sel", "-d", "example.org");

    List<String> command =
        new ArrayList<>(List.of(opendkim.get().toString(), "-D", theirs.toString()));
    command.addAll(common);
    command.addAll(flags);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();

    List<String> args = new ArrayList<>(List.of("-D", ours.toString()));
    args.addAll(common);
    args.addAll(flags);
    assertThat(genkey(args.toArray(String[]::new)).status()).isZero();

    assertThat(maskKey(Files.readString(ours.resolve("sel.txt"))))
        .isEqualTo(maskKey(Files.readString(theirs.resolve("sel.txt"))));
  }

  static Stream<List<String>> opendkimFlagSets() {
    return Stream.of(
        List.of(),
        List.of("-b", "1024"),
        List.of("-b", "1024", "-r", "-S", "-t", "-h", "sha1:sha256", "-n", "hello world", "-a"),
        List.of("-b", "1024", "-S"),
        List.of("-b", "3072", "-t"));
  }

  private Run genkey(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    try {
      System.setErr(new PrintStream(err, true, UTF_8));
      String[] all = Stream.concat(Stream.of("genkey"), Stream.of(args)).toArray(String[]::new);
      return new Run(InkanMain.run(all), err.toString(UTF_8));
    } finally {
      System.setErr(saved);
    }
  }

  /** The quoted strings of the key record: the lines up to its closing parenthesis. */
  private static List<String> quotedStrings(String txt) {
    int end = txt.indexOf(" )  ; ----- DKIM key ");
    assertThat(end).as("record end in %s", txt).isPositive();
    List<String> strings = new ArrayList<>();
    Matcher m = QUOTED.matcher(txt.substring(0, end));
    while (m.find()) {
      strings.add(m.group(1));
    }
    return strings;
  }

  /** The record text a DNS resolver returns: the strings unescaped and joined. */
  private static String recordText(String txt) {
    StringBuilder sb = new StringBuilder();
    for (String s : quotedStrings(txt)) {
      sb.append(s.replaceAll("\\\\(.)", "$1"));
    }
    return sb.toString();
  }

  /** Replaces the base64 key characters, which differ from run to run, by 'x'. */
  private static String maskKey(String txt) {
    Matcher m = Pattern.compile("[A-Za-z0-9+/]{40,}").matcher(txt);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, "x".repeat(m.group().length()));
    }
    return m.appendTail(sb).toString();
  }

  private static VerificationResult signAndVerify(
      SigningKey key, String domain, String selector, String record) {
    DkimSigner signer = new DkimSigner(SignerSettings.of(domain, selector, key));
    SigningSession session = signer.newSession(Instant.now().getEpochSecond());
    feed(session, MESSAGE);
    SignResult signed = signer.finish(session);
    assertThat(signed).isInstanceOf(SignResult.Signed.class);
    String message = ((SignResult.Signed) signed).field().raw() + "\r\n" + MESSAGE;

    List<String> asked = new ArrayList<>();
    DkimVerifier verifier =
        new DkimVerifier(
            VerifierSettings.defaults(),
            name -> {
              asked.add(name);
              return CompletableFuture.completedFuture(KeyLookupResult.Found.of(record));
            });
    VerificationSession verification = verifier.newSession();
    feed(verification, message);
    List<VerificationResult> results =
        verification.finish(Runnable::run).toCompletableFuture().join();
    assertThat(asked).containsExactly(selector + "._domainkey." + domain);
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  private static void feed(MessageSink sink, String message) {
    byte[] bytes = message.getBytes(UTF_8);
    MessageParser parser = new MessageParser(sink);
    parser.update(bytes, 0, bytes.length);
    parser.finish();
  }

  private static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin";
    return Stream.of(path.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Paths.get(d, program))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
