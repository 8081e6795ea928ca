package io.inkan.dkim;

import io.inkan.dkim.FuzzMutations.Mutation;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the failures of a {@link DkimFuzzTest} run so that one run shows every kind, each with
 * the seed, case and mutation that reproduce it; also renders bytes and stack traces for them.
 */
final class FuzzFailures {
  private static final int SHOWN = 15;
  private final long seed;
  private final List<String> shown = new ArrayList<>();
  private final Map<String, Integer> kinds = new TreeMap<>();
  private int count;

  FuzzFailures(long seed) {
    this.seed = seed;
  }

  void add(FuzzCase s, Mutation m, String problem) {
    add(s.config(), m, problem);
  }

  void add(String config, Mutation m, String problem) {
    count++;
    String[] words = problem.split(" ");
    String kind =
        String.join(" ", Arrays.copyOf(words, Math.min(4, words.length))).replaceAll("[0-9]+", "N");
    String where =
        config
            .replaceAll("^(case|body) \\d+: ", "")
            .replaceAll("( l=| z=| oversigned| chunks).*", "");
    kinds.merge(kind + " [" + where + "]", 1, Integer::sum);
    if (shown.size() < SHOWN) {
      String text =
          m.bytes().length <= 3000
              ? show(m.bytes(), 0, m.bytes().length)
              : show(m.bytes(), 0, 3000) + "... (" + m.bytes().length + " bytes)";
      shown.add(
          "seed "
              + seed
              + " "
              + config
              + "\n  mutation: "
              + m.what()
              + "\n  problem: "
              + problem
              + "\n  message: "
              + text);
    }
  }

  void assertNone() {
    if (count > 0) {
      StringBuilder summary = new StringBuilder();
      kinds.forEach((k, n) -> summary.append(String.format(Locale.ROOT, "%6d  %s%n", n, k)));
      throw new AssertionError(
          count
              + " failures; reproduce with -Dinkan.fuzz.seed="
              + seed
              + " [-Dinkan.fuzz.case=N]\n"
              + summary
              + "\n"
              + String.join("\n\n", shown));
    }
  }

  static String hex(byte b) {
    return String.format(Locale.ROOT, "%02x", b & 0xff);
  }

  /** Bytes as Java-escaped text: CR, LF, TAB by name, other controls and 8-bit in hex. */
  static String show(byte[] b, int from, int to) {
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, from); i < Math.min(b.length, to); i++) {
      int c = b[i] & 0xff;
      switch (c) {
        case '\r' -> sb.append("\\r");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\\' -> sb.append("\\\\");
        default -> sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : "\\x" + hex(b[i]));
      }
    }
    return sb.toString();
  }

  static String stack(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    String[] lines = w.toString().split("\n");
    return String.join("\n", Arrays.copyOf(lines, Math.min(lines.length, 12)));
  }
}
