package io.inkan.interop;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One long-lived {@code dkimpy_tool.py serve} process that runs dkimpy commands in turn. */
final class DkimpyProcess implements AutoCloseable {
  /** One command's exit code, standard output and standard error. */
  record ToolRun(int exit, byte[] stdout, String stderr) {}

  // Long-lived: on a busy host importing dkim takes seconds, far more than a signature, and
  // DkimpyInteropTest runs the tool some 500 times.
  private final Process process;
  private final Writer requests;
  private final BufferedReader answers;
  private final Path log;
  private final Path work;

  /** Starts {@code python tool serve}; its stderr goes to {@code serve.err} in {@code work}. */
  DkimpyProcess(Path python, Path tool, Path work) throws IOException {
    this.work = work;
    this.log = work.resolve("serve.err");
    process =
        new ProcessBuilder(python.toString(), tool.toString(), "serve")
            .redirectError(log.toFile())
            .start();
    requests = new OutputStreamWriter(process.getOutputStream(), UTF_8);
    answers = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8));
  }

  /** Runs one command with {@code stdin} as its input, through files in a fresh directory. */
  ToolRun run(byte[] stdin, List<String> args) {
    try {
      Path dir = Files.createTempDirectory(work, "run");
      Path in = Files.write(dir.resolve("in"), stdin);
      int exit = run(in, dir.resolve("out"), dir.resolve("err"), args);
      ToolRun run =
          new ToolRun(
              exit,
              Files.readAllBytes(dir.resolve("out")),
              Files.readString(dir.resolve("err"), ISO_8859_1));
      for (String f : List.of("in", "out", "err")) {
        Files.deleteIfExists(dir.resolve(f)); // the 1 MB samples add up over ~500 runs
      }
      Files.delete(dir);
      return run;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs one command reading {@code in}, writing {@code out} and {@code err}; its exit code. */
  private synchronized int run(Path in, Path out, Path err, List<String> args) throws IOException {
    List<String> fields = new ArrayList<>(List.of(in.toString(), out.toString(), err.toString()));
    fields.addAll(args);
    for (String f : fields) {
      if (f.contains("\t") || f.contains("\n")) {
        throw new IllegalArgumentException("a tab or line end in " + f);
      }
    }
    requests.write(String.join("\t", fields) + "\n");
    requests.flush();
    String answer = answers.readLine();
    if (answer == null) {
      throw new IllegalStateException(
          "dkimpy_tool.py serve ended: " + Files.readString(log, ISO_8859_1));
    }
    return Integer.parseInt(answer.trim());
  }

  @Override
  public void close() throws IOException {
    requests.close();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
