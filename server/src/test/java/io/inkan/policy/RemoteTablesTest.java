package io.inkan.policy;

import static io.inkan.policy.DkimMilterHandlerTest.BODY;
import static io.inkan.policy.DkimMilterHandlerTest.delivered;
import static io.inkan.policy.DkimMilterHandlerTest.inserted;
import static io.inkan.policy.DkimMilterHandlerTest.message;
import static io.inkan.policy.DkimMilterHandlerTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.config.ConfigLoader;
import io.inkan.dkim.VerificationResult;
import io.inkan.milter.MilterReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * KeyTable and SigningTable in SQL (an SQLite file): the end-of-headers decision runs on the lookup
 * executor, body chunks that arrive meanwhile are held and hashed in order, and a database that
 * cannot answer is On-InternalError (tempfail by default), never unsigned mail.
 */
class RemoteTablesTest {
  @TempDir Path dir;
  final DkimMilterHandlerTest fx = new DkimMilterHandlerTest();
  Path db;

  @BeforeEach
  void tables() throws Exception {
    fx.dir = dir;
    fx.keys();
    db = dir.resolve("keys.db");
    String pem = Files.readString(fx.rsa).replace("\n", "");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE keytable (id TEXT, domain TEXT, selector TEXT, pkey TEXT)");
      s.execute("CREATE TABLE signing (sender TEXT, keyname TEXT)");
      s.execute(
          "INSERT INTO keytable VALUES ('k1', 'example.com', 'sel', '"
              + pem.replaceAll("-----[A-Z ]+-----", "")
              + "')");
      s.execute("INSERT INTO signing VALUES ('example.com', 'k1')");
    }
  }

  String conf(String extra) {
    String dsn = "dsn:sqlite3://" + db.getParent().toString().replace("/", "=2F") + "/keys.db";
    return "KeyTable "
        + dsn
        + "/table=keytable?keycol=id?datacol=domain,selector,pkey\n"
        + "SigningTable "
        + dsn
        + "/table=signing?keycol=sender?datacol=keyname\n"
        + extra;
  }

  DkimPolicy policy(String conf, Executor lookups) throws Exception {
    Path f = Files.writeString(dir.resolve("inkan.conf"), conf);
    return DkimPolicy.from(
        ConfigLoader.load(f).config(),
        new DkimPolicy.Services(fx.lookup, Runnable::run, "mx.example.net").withLookups(lookups));
  }

  /** Runs each lookup 300 ms late on its own thread: the body arrives before the decision. */
  static Executor slow(AtomicInteger ran) {
    return task ->
        new Thread(
                () -> {
                  try {
                    Thread.sleep(300);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  ran.incrementAndGet();
                  task.run();
                })
            .start();
  }

  @Test
  void sqlTablesSignAndTheBodyHeldMeanwhileIsHashedInOrder() throws Exception {
    AtomicInteger ran = new AtomicInteger();
    DkimPolicy p = policy(conf(""), slow(ran));
    assertThat(p.lookupsMayBlock()).isTrue();
    List<String[]> msg = message("alice@example.com");
    String body = "line one\r\n".repeat(500); // many 7-byte chunks while the lookup waits
    List<MilterReply> replies = run(p, "127.0.0.1", Map.of(), msg, body);
    assertThat(ran).hasValue(1);
    assertThat(inserted(replies, "DKIM-Signature").get(0).value()).contains("s=sel;");
    assertThat(fx.verify(delivered(replies, msg), body))
        .singleElement()
        .matches(VerificationResult::passed);
    p.close();
  }

  @Test
  void anUnknownSenderIsVerifiedNotSigned() throws Exception {
    DkimPolicy p = policy(conf(""), Runnable::run);
    List<MilterReply> replies = run(p, "127.0.0.1", Map.of(), message("carol@example.org"), BODY);
    assertThat(inserted(replies, "DKIM-Signature")).isEmpty();
    p.close();
  }

  @Test
  void aDatabaseThatCannotAnswerIsAnInternalError() throws Exception {
    String down =
        "KeyTable dsn:mysql://root@1+127.0.0.1/test/table=k?keycol=id?datacol=d,s,k\n"
            + "SigningTable dsn:mysql://root@1+127.0.0.1/test/table=s?keycol=k?datacol=v\n"
            + "SoftStart yes\n";
    DkimPolicy p = policy(down, Runnable::run);
    assertThat(run(p, "127.0.0.1", Map.of(), message("alice@example.com"), BODY))
        .containsExactly(new MilterReply.Tempfail());
    DkimPolicy accept = policy(down + "On-InternalError accept\n", Runnable::run);
    assertThat(run(accept, "127.0.0.1", Map.of(), message("alice@example.com"), BODY))
        .containsExactly(new MilterReply.Accept());
    p.close();
    accept.close();
  }

  @Test
  void withoutSoftStartAnUnreachableDatabaseStopsStartUp() {
    String down =
        "KeyTable dsn:mysql://root:secret@1+127.0.0.1/test/table=k?keycol=id?datacol=d,s,k\n"
            + "SigningTable csl:example.com=k\n";
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> policy(down, Runnable::run))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("inkan.conf:1:")
        .hasMessageNotContaining("secret");
  }
}
