package io.inkan.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs an {@code inkan} command in-process with the given stdin, capturing stdout and stderr. */
final class CliRunner {
  record Result(int exit, byte[] out, String err) {
    String outText() {
      return new String(out, StandardCharsets.ISO_8859_1);
    }
  }

  private CliRunner() {}

  static synchronized Result run(byte[] stdin, String... args) {
    InputStream in = System.in;
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream(stdin));
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int exit =
          InkanMain.commandLine()
              .setOut(new java.io.PrintWriter(System.out, true))
              .setErr(new java.io.PrintWriter(System.err, true))
              .execute(args);
      return new Result(exit, o.toByteArray(), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(in);
      System.setOut(out);
      System.setErr(err);
    }
  }
}
