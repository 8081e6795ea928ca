package io.inkan.dataset.je;

import static org.assertj.core.api.Assertions.assertThat;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.KeyCase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JE's multi-process rule as a {@code db:} set meets it: another process may hold the environment
 * read-write while the set reads it; the set keeps the view it opened until {@code dropCache()}.
 */
class JeMultiProcessTest {
  @TempDir Path dir;

  @Test
  void aWriterInAnotherProcessIsSeenAfterDropCache() throws Exception {
    Path env =
        JeTestTables.imported(
            JeTestTables.plain(dir.resolve("table"), Map.of("user@example.org", "old-key")),
            dir.resolve("env"),
            false);
    try (DataSet set = JeTestTables.open(env, KeyCase.INSENSITIVE)) {
      assertThat(set.get("user@example.org")).hasValue(List.of("old-key"));
      Process writer =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  JeWriterProcess.class.getName(),
                  env.toString(),
                  "user@example.org",
                  "new-key")
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try {
        BufferedReader out =
            new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("written");

        assertThat(set.get("user@example.org"))
            .as("the view as opened")
            .hasValue(List.of("old-key"));
        set.dropCache();
        assertThat(set.get("USER@example.org")).hasValue(List.of("new-key"));

        writer.getOutputStream().close();
        assertThat(writer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(writer.exitValue()).isZero();
      } finally {
        writer.destroyForcibly();
      }
    }
  }
}
