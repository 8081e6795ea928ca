package io.inkan.milter;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reply from the filter to the MTA (libmilter {@code mfdef.h} {@code SMFIR_*}). Strings are sent
 * byte for byte as ISO-8859-1, so they may hold only characters up to U+00FF and no NUL; breaking
 * that is a bug and throws {@link IllegalArgumentException}.
 */
public sealed interface MilterReply {
  /** The reply byte on the wire. */
  char code();

  /** What a protocol step (connect, helo, mail, rcpt, data, header, eoh, body) may answer. */
  sealed interface StepReply extends MilterReply permits Final, Skip {}

  /** A verdict that may end the message's replies: continue, accept, reject, tempfail, ... */
  sealed interface Final extends StepReply
      permits Continue, Accept, Reject, Tempfail, Discard, ReplyCode {}

  /** A change to the message, allowed only before the final verdict at end of message. */
  sealed interface Modification extends MilterReply
      permits InsertHeader, AddHeader, ChangeHeader, Quarantine {}

  /** {@code c}: go on. */
  record Continue() implements Final {
    @Override
    public char code() {
      return 'c';
    }
  }

  /** {@code a}: accept; no more commands for this message. */
  record Accept() implements Final {
    @Override
    public char code() {
      return 'a';
    }
  }

  /** {@code r}: reject (5xx). */
  record Reject() implements Final {
    @Override
    public char code() {
      return 'r';
    }
  }

  /** {@code t}: temporary failure (4xx). */
  record Tempfail() implements Final {
    @Override
    public char code() {
      return 't';
    }
  }

  /** {@code d}: accept and silently discard. */
  record Discard() implements Final {
    @Override
    public char code() {
      return 'd';
    }
  }

  /**
   * {@code y}: reject or tempfail with this SMTP reply, e.g. {@code "451 4.7.1 try again later"}.
   * The encoder doubles {@code %} as Sendmail expects (Postfix un-doubles it).
   */
  record ReplyCode(String text) implements Final {
    @Override
    public char code() {
      return 'y';
    }

    public ReplyCode {
      wire(text, "text");
      if (text.length() < 3
          || (text.charAt(0) != '4' && text.charAt(0) != '5')
          || !Character.isDigit(text.charAt(1))
          || !Character.isDigit(text.charAt(2))
          || (text.length() > 3 && text.charAt(3) != ' ' && text.charAt(3) != '-')) {
        throw new IllegalArgumentException("text: expected a 4xx or 5xx SMTP reply, got " + text);
      }
    }
  }

  /** {@code s}: skip the rest of the body (only if {@code SMFIP_SKIP} was negotiated). */
  record Skip() implements StepReply {
    @Override
    public char code() {
      return 's';
    }
  }

  /** {@code p}: still working; resets the MTA's timeout. */
  record Progress() implements MilterReply {
    @Override
    public char code() {
      return 'p';
    }
  }

  /** {@code i}: insert a header at {@code index} (0 = top). */
  record InsertHeader(int index, String name, String value) implements Modification {
    @Override
    public char code() {
      return 'i';
    }

    public InsertHeader {
      if (index < 0) {
        throw new IllegalArgumentException("index: " + index + " (expected: >= 0)");
      }
      headerName(name);
      wire(value, "value");
    }
  }

  /** {@code h}: append a header. */
  record AddHeader(String name, String value) implements Modification {
    @Override
    public char code() {
      return 'h';
    }

    public AddHeader {
      headerName(name);
      wire(value, "value");
    }
  }

  /**
   * {@code m}: change the {@code index}-th (1-based, counted per name) header called {@code name};
   * an empty value deletes it.
   */
  record ChangeHeader(int index, String name, String value) implements Modification {
    @Override
    public char code() {
      return 'm';
    }

    public ChangeHeader {
      if (index < 1) {
        throw new IllegalArgumentException("index: " + index + " (expected: >= 1)");
      }
      headerName(name);
      wire(value, "value");
    }
  }

  /** {@code q}: quarantine the message. */
  record Quarantine(String reason) implements Modification {
    @Override
    public char code() {
      return 'q';
    }

    public Quarantine {
      wire(reason, "reason");
    }
  }

  /**
   * {@code O}: the filter's side of negotiation.
   *
   * @param macros macro names requested per stage (v6, needs {@code SMFIF_SETSYMLIST}); Postfix
   *     then sends only the requested macros, for every stage
   */
  record Negotiate(int version, int actions, int protocol, Map<MacroStage, List<String>> macros)
      implements MilterReply {
    @Override
    public char code() {
      return 'O';
    }

    public Negotiate {
      EnumMap<MacroStage, List<String>> copy = new EnumMap<>(MacroStage.class);
      macros.forEach(
          (stage, names) -> {
            for (String n : names) {
              wire(n, "macro name");
              if (n.isEmpty() || n.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("macro name: '" + n + "'");
              }
            }
            copy.put(Objects.requireNonNull(stage), List.copyOf(names));
          });
      macros = Collections.unmodifiableMap(copy);
    }
  }

  private static void wire(String s, String what) {
    Objects.requireNonNull(s, what);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == 0 || c > 0xff) {
        throw new IllegalArgumentException(
            what + ": character U+" + String.format("%04X", (int) c) + " at " + i + " in " + s);
      }
    }
  }

  private static void headerName(String name) {
    wire(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: empty header name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= ' ' || c == ':' || c >= 0x7f) {
        throw new IllegalArgumentException("name: invalid header name " + name);
      }
    }
  }
}
