package io.inkan.bench;

/** A message's final milter verdict, as the MTA applies it; {@link #NONE} when none came. */
public enum Verdict {
  ACCEPT,
  CONTINUE,
  TEMPFAIL,
  REJECT,
  DISCARD,
  /** The connection failed or closed before a verdict. */
  NONE;

  /**
   * The verdict a reply command stands for, or null when the reply is not final ({@code y} is
   * judged by its SMTP code: 4xx tempfail, otherwise reject).
   */
  static Verdict of(char command, byte[] payload) {
    return switch (command) {
      case 'a' -> ACCEPT;
      case 'c' -> CONTINUE;
      case 't' -> TEMPFAIL;
      case 'r' -> REJECT;
      case 'd' -> DISCARD;
      case 'y' -> payload.length > 0 && payload[0] == '4' ? TEMPFAIL : REJECT;
      default -> null;
    };
  }
}
