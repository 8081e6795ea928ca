package io.inkan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import io.inkan.config.ConfigLoader;
import io.inkan.config.LogSettings;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code LogFormat json}: after {@code inkan serve}'s logging set-up, each stderr line is one JSON
 * object with the formatted message; {@code LogFormat text} (the default) keeps logback.xml's
 * lines.
 */
class LogFormatTest {
  private static final Logger LOG = LoggerFactory.getLogger("io.inkan.policy.DkimPolicy");

  @TempDir Path dir;

  /** logback.xml as {@code inkan serve} runs with it (tests may see another module's test file). */
  @BeforeEach
  void serveLogbackXml() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator joran = new JoranConfigurator();
    joran.setContext(context);
    joran.doConfigure(ServeCommand.class.getResource("/logback.xml"));
  }

  @AfterEach
  void restoreLogbackXml() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  private LogSettings configured(String lines) throws Exception {
    Path conf = Files.writeString(dir.resolve("inkan.conf"), "Mode v\n" + lines);
    return ConfigLoader.load(conf).config().log();
  }

  /** What {@code log} writes to stderr. */
  private static List<String> stderr(Runnable log) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      log.run();
    } finally {
      System.setErr(err);
    }
    return captured.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void jsonLinesCarryTheFormattedMessage() throws Exception {
    ServeCommand.installLogging(configured("LogFormat json\n"));
    List<String> lines =
        stderr(
            () -> {
              LOG.warn("4XyZ1 s=sel d=example.com SSL error: {}", "bad \"quoted\" value");
              LOG.error("lookup failed", new IllegalStateException("boom"));
            });
    assertThat(lines).hasSize(2);
    JsonObject first = new JsonObject(lines.get(0));
    assertThat(first.getString("formattedMessage"))
        .isEqualTo("4XyZ1 s=sel d=example.com SSL error: bad \"quoted\" value");
    assertThat(first.getString("level")).isEqualTo("WARN");
    assertThat(first.getString("loggerName")).isEqualTo("io.inkan.policy.DkimPolicy");
    assertThat(first.getString("threadName")).isEqualTo(Thread.currentThread().getName());
    assertThat(first.getLong("timestamp")).isPositive();
    JsonObject second = new JsonObject(lines.get(1));
    assertThat(second.getString("formattedMessage")).isEqualTo("lookup failed");
    assertThat(second.getJsonObject("throwable").getString("message")).isEqualTo("boom");
  }

  @Test
  void textIsTheDefault() throws Exception {
    LogSettings log = configured("");
    assertThat(log.format()).isEqualTo(LogSettings.Format.TEXT);
    ServeCommand.installLogging(log);
    List<String> lines = stderr(() -> LOG.warn("plain {}", "line"));
    assertThat(lines).singleElement().asString().endsWith(" - plain line").doesNotContain("{");
  }
}
