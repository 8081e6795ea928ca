package io.inkan.milter;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link MilterFrame} into a {@link MilterCommand} (payload layouts from libmilter {@code
 * engine.c} and Postfix {@code milter8.c}). Never throws on bad input: a truncated payload, a
 * missing NUL or an unknown command byte yields {@link Malformed} naming the command and the
 * problem. Payload bytes after the fields a command uses are ignored, as libmilter does.
 */
public final class MilterCommandParser {
  /** A parsed command or the reason the frame could not be parsed. */
  public sealed interface Parsed permits MilterCommand, Malformed {}

  private MilterCommandParser() {}

  public static Parsed parse(MilterFrame frame) {
    byte[] p = frame.payload();
    return switch (frame.command()) {
      case 'A' -> new MilterCommand.Abort();
      case 'B' -> new MilterCommand.BodyChunk(p);
      case 'C' -> connect(p);
      case 'D' -> macros(p);
      case 'E' -> new MilterCommand.EndOfMessage(p);
      case 'H' -> oneString(p, "H (helo)", MilterCommand.Helo::new);
      case 'K' -> new MilterCommand.QuitNewConnection();
      case 'L' -> header(p);
      case 'M' -> args(p, "M (mail)", true);
      case 'N' -> new MilterCommand.EndOfHeaders();
      case 'O' -> negotiate(p);
      case 'Q' -> new MilterCommand.Quit();
      case 'R' -> args(p, "R (rcpt)", false);
      case 'T' -> new MilterCommand.Data();
      case 'U' -> oneString(p, "U (unknown)", MilterCommand.Unknown::new);
      default ->
          new Malformed(
              String.format(
                  "unknown command byte 0x%02x, payload %s",
                  (int) frame.command(), Malformed.hex(p, 0, p.length, 16)));
    };
  }

  private static Parsed connect(byte[] p) {
    Cursor c = new Cursor(p);
    String host = c.string();
    if (host == null) {
      return missingNul("C (connect)", "hostname", p);
    }
    if (!c.has(1)) {
      return truncated("C (connect)", "family", p);
    }
    char family = (char) (p[c.pos++] & 0xff);
    switch (family) {
      case 'U':
        return new MilterCommand.Connect(host, family, 0, "");
      case 'L', '4', '6':
        break;
      default:
        return new Malformed(
            String.format(
                "C (connect): unknown address family 0x%02x, payload %s",
                (int) family, Malformed.hex(p, 0, p.length, 32)));
    }
    if (!c.has(2)) {
      return truncated("C (connect)", "port", p);
    }
    int port = ((p[c.pos] & 0xff) << 8) | (p[c.pos + 1] & 0xff);
    c.pos += 2;
    String address = c.string();
    if (address == null) {
      return missingNul("C (connect)", "address", p);
    }
    return new MilterCommand.Connect(host, family, port, address);
  }

  private static Parsed macros(byte[] p) {
    if (p.length < 1) {
      return truncated("D (macros)", "stage", p);
    }
    Cursor c = new Cursor(p);
    char stage = (char) (p[c.pos++] & 0xff);
    Map<String, String> map = new LinkedHashMap<>();
    while (c.has(1)) {
      String name = c.string();
      if (name == null) {
        return missingNul("D (macros)", "macro name", p);
      }
      String value = c.string();
      if (value == null) {
        return c.has(1)
            ? missingNul("D (macros)", "value of macro " + name, p)
            : truncated("D (macros)", "value of macro " + name, p);
      }
      map.put(name, value);
    }
    return new MilterCommand.Macros(stage, map);
  }

  private static Parsed header(byte[] p) {
    Cursor c = new Cursor(p);
    String name = c.string();
    if (name == null) {
      return missingNul("L (header)", "header name", p);
    }
    String value = c.string();
    if (value == null) {
      return missingNul("L (header)", "value of header " + name, p);
    }
    return new MilterCommand.Header(name, value);
  }

  private static Parsed args(byte[] p, String what, boolean mail) {
    if (p.length == 0) {
      return truncated(what, "address", p);
    }
    Cursor c = new Cursor(p);
    List<String> args = new ArrayList<>();
    while (c.has(1)) {
      String arg = c.string();
      if (arg == null) {
        return missingNul(what, "argument " + args.size(), p);
      }
      args.add(arg);
    }
    return mail ? new MilterCommand.Mail(args) : new MilterCommand.Rcpt(args);
  }

  private static Parsed negotiate(byte[] p) {
    if (p.length < 12) {
      return new Malformed(
          "O (negotiate): payload of "
              + p.length
              + " bytes, expected at least 12 (version, actions, protocol): "
              + Malformed.hex(p, 0, p.length, 16));
    }
    return new MilterCommand.Negotiate(int32(p, 0), int32(p, 4), int32(p, 8));
  }

  private static Parsed oneString(
      byte[] p, String what, java.util.function.Function<String, MilterCommand> make) {
    String s = new Cursor(p).string();
    return s == null ? missingNul(what, "argument", p) : make.apply(s);
  }

  static int int32(byte[] p, int at) {
    return ((p[at] & 0xff) << 24)
        | ((p[at + 1] & 0xff) << 16)
        | ((p[at + 2] & 0xff) << 8)
        | (p[at + 3] & 0xff);
  }

  private static Malformed missingNul(String what, String field, byte[] p) {
    return new Malformed(
        what
            + ": "
            + field
            + " is not NUL-terminated, payload "
            + Malformed.hex(p, 0, p.length, 32));
  }

  private static Malformed truncated(String what, String field, byte[] p) {
    return new Malformed(
        what
            + ": payload truncated before "
            + field
            + ", payload "
            + Malformed.hex(p, 0, p.length, 32));
  }

  /** Reads NUL-terminated ISO-8859-1 strings. */
  private static final class Cursor {
    private final byte[] p;
    private int pos;

    Cursor(byte[] p) {
      this.p = p;
    }

    boolean has(int n) {
      return p.length - pos >= n;
    }

    /** The next string, or null when no NUL ends it. */
    String string() {
      for (int i = pos; i < p.length; i++) {
        if (p[i] == 0) {
          String s = new String(p, pos, i - pos, StandardCharsets.ISO_8859_1);
          pos = i + 1;
          return s;
        }
      }
      return null;
    }
  }
}
