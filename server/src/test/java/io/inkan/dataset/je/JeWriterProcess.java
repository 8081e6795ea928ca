package io.inkan.dataset.je;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second JVM for {@link JeMultiProcessTest}: opens {@code DIR} read-write, sets {@code KEY} to
 * {@code VALUE}, flushes, prints {@code written} and keeps the environment open until its standard
 * input ends.
 */
public final class JeWriterProcess {
  private JeWriterProcess() {}

  public static void main(String[] args) throws Exception {
    try (JeTableWriter writer = JeTableWriter.open(Path.of(args[0]))) {
      writer.put(args[1], args[2]);
      writer.flush();
      System.out.println("written");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }
  }
}
