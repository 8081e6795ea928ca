package io.inkan.ops;

import io.inkan.testing.MtaSimulator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One message through a running milter, as Postfix would send it, and what came back. */
final class MilterProbe {
  private MilterProbe() {}

  /** The header fields the milter added (name, value) and its final verdict. */
  record Outcome(List<String[]> added, char verdict) {
    List<String> values(String name) {
      return added.stream().filter(h -> h[0].equalsIgnoreCase(name)).map(h -> h[1]).toList();
    }

    List<String> signatures() {
      return values("DKIM-Signature");
    }

    List<String> authenticationResults() {
      return values("Authentication-Results");
    }

    /** The message with the added DKIM-Signature fields on top, as the MTA would send it on. */
    String signed(String message) {
      StringBuilder out = new StringBuilder();
      for (String sig : signatures()) {
        out.append("DKIM-Signature:").append(sig).append("\r\n");
      }
      return out + message;
    }

    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("verdict " + verdict);
      added.forEach(h -> s.append("\n").append(h[0]).append(":").append(h[1]));
      return s.toString();
    }
  }

  /**
   * Connects from {@code clientIp}, sends {@code message} (CRLF line ends) with the MAIL-stage
   * macros given (e.g. {@code {auth_authen}}, {@code joe}), and quits.
   */
  static Outcome send(Path socket, String clientIp, String message, String... macros)
      throws IOException {
    try (MtaSimulator mta = new MtaSimulator(socket)) {
      mta.open(clientIp);
      List<MtaSimulator.Reply> replies = mta.message(message, macros);
      List<String[]> added = new ArrayList<>();
      for (MtaSimulator.Reply r : replies) {
        if (r.command() == 'i' || r.command() == 'h') {
          added.add(r.header());
        }
      }
      return new Outcome(added, replies.get(replies.size() - 1).command());
    }
  }

  /** A tag's value in a DKIM-Signature field ({@code d}, {@code s}, {@code a}, ...). */
  static String tag(String signature, String name) {
    Matcher m =
        Pattern.compile("(?:^|;)\\s*" + Pattern.quote(name) + "\\s*=\\s*([^;]*)")
            .matcher(signature);
    return m.find() ? m.group(1).replaceAll("\\s+", "") : null;
  }
}
