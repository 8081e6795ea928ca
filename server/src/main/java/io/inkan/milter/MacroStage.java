package io.inkan.milter;

/**
 * The protocol stages macros belong to, in libmilter's clearing order ({@code CI_*} in {@code
 * engine.c}), with the {@code SMFIM_*} number used when requesting macros at negotiation and the
 * command byte a {@code D} frame names.
 */
public enum MacroStage {
  CONNECT(0, 'C'),
  HELO(1, 'H'),
  MAIL(2, 'M'),
  RCPT(3, 'R'),
  DATA(4, 'T'),
  EOH(6, 'N'),
  EOM(5, 'E');

  private final int smfim;
  private final char command;

  MacroStage(int smfim, char command) {
    this.smfim = smfim;
    this.command = command;
  }

  /** The {@code SMFIM_*} value. */
  public int smfim() {
    return smfim;
  }

  /** The command byte of this stage. */
  public char command() {
    return command;
  }

  /** The stage a {@code D} frame's first byte names, or null for any other byte. */
  public static MacroStage ofCommand(char command) {
    for (MacroStage s : values()) {
      if (s.command == command) {
        return s;
      }
    }
    return null;
  }
}
