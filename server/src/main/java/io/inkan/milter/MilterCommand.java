package io.inkan.milter;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command from the MTA (libmilter {@code mfdef.h} {@code SMFIC_*}). Strings hold the wire bytes
 * one to one as ISO-8859-1 characters, so header fields and envelope addresses keep their exact
 * bytes (re-decode as UTF-8 where that is meant); body bytes stay bytes.
 */
public sealed interface MilterCommand extends MilterCommandParser.Parsed {
  /** The command byte on the wire. */
  char code();

  /** {@code A}: abort the current transaction; no reply. */
  record Abort() implements MilterCommand {
    @Override
    public char code() {
      return 'A';
    }
  }

  /** {@code B}: one body chunk (at most the negotiated frame size). */
  record BodyChunk(byte[] chunk) implements MilterCommand {
    public BodyChunk {
      Objects.requireNonNull(chunk, "chunk");
    }

    @Override
    public char code() {
      return 'B';
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof BodyChunk b && Arrays.equals(b.chunk, chunk);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(chunk);
    }

    @Override
    public String toString() {
      return "BodyChunk[" + chunk.length + " bytes]";
    }
  }

  /**
   * {@code C}: the SMTP client. Family {@code 'U'} (unknown) carries no port or address.
   *
   * @param hostname the client's name, or {@code [address]} when it has none
   * @param family {@code 'U'}, {@code 'L'} (unix), {@code '4'} or {@code '6'}
   * @param port the client port (0 for unix and unknown)
   * @param address the client address or socket path ("" for unknown)
   */
  record Connect(String hostname, char family, int port, String address) implements MilterCommand {
    public Connect {
      Objects.requireNonNull(hostname, "hostname");
      Objects.requireNonNull(address, "address");
    }

    @Override
    public char code() {
      return 'C';
    }
  }

  /**
   * {@code D}: macro values for the command that follows.
   *
   * @param stage the command byte the macros belong to ({@code C H M R T N E})
   * @param macros names as sent (e.g. {@code {auth_authen}} or {@code i}) to values, in wire order
   */
  record Macros(char stage, Map<String, String> macros) implements MilterCommand {
    public Macros {
      macros = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(macros));
    }

    @Override
    public char code() {
      return 'D';
    }
  }

  /**
   * {@code E}: end of message. Sendmail may put the last body chunk here; Postfix sends none.
   *
   * @param lastChunk trailing body bytes, usually empty
   */
  record EndOfMessage(byte[] lastChunk) implements MilterCommand {
    public EndOfMessage {
      Objects.requireNonNull(lastChunk, "lastChunk");
    }

    public EndOfMessage() {
      this(new byte[0]);
    }

    @Override
    public char code() {
      return 'E';
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof EndOfMessage e && Arrays.equals(e.lastChunk, lastChunk);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(lastChunk);
    }

    @Override
    public String toString() {
      return "EndOfMessage[" + lastChunk.length + " bytes]";
    }
  }

  /** {@code H}: HELO/EHLO argument. */
  record Helo(String name) implements MilterCommand {
    public Helo {
      Objects.requireNonNull(name, "name");
    }

    @Override
    public char code() {
      return 'H';
    }
  }

  /** {@code K}: quit this session; a new negotiation follows on the same connection (v6). */
  record QuitNewConnection() implements MilterCommand {
    @Override
    public char code() {
      return 'K';
    }
  }

  /**
   * {@code L}: one header field. Without {@code SMFIP_HDR_LEADSPC} the MTA drops the space after
   * the colon; with it the value is exactly as received.
   */
  record Header(String name, String value) implements MilterCommand {
    public Header {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }

    @Override
    public char code() {
      return 'L';
    }
  }

  /** {@code M}: MAIL FROM; {@code args.get(0)} is {@code <address>}, then ESMTP parameters. */
  record Mail(List<String> args) implements MilterCommand {
    public Mail {
      args = List.copyOf(args);
    }

    @Override
    public char code() {
      return 'M';
    }
  }

  /** {@code N}: end of headers. */
  record EndOfHeaders() implements MilterCommand {
    @Override
    public char code() {
      return 'N';
    }
  }

  /**
   * {@code O}: the MTA's offer. All three are unsigned 32-bit values.
   *
   * @param version protocol version
   * @param actions {@code SMFIF_*} actions the MTA allows
   * @param protocol {@code SMFIP_*} steps and features the MTA can leave out or supports
   */
  record Negotiate(int version, int actions, int protocol) implements MilterCommand {
    @Override
    public char code() {
      return 'O';
    }
  }

  /** {@code Q}: quit; the MTA closes the connection. */
  record Quit() implements MilterCommand {
    @Override
    public char code() {
      return 'Q';
    }
  }

  /** {@code R}: RCPT TO; {@code args.get(0)} is {@code <address>}, then ESMTP parameters. */
  record Rcpt(List<String> args) implements MilterCommand {
    public Rcpt {
      args = List.copyOf(args);
    }

    @Override
    public char code() {
      return 'R';
    }
  }

  /** {@code T}: DATA (protocol v4 and later). */
  record Data() implements MilterCommand {
    @Override
    public char code() {
      return 'T';
    }
  }

  /** {@code U}: an SMTP command the MTA does not know (protocol v3 and later). */
  record Unknown(String command) implements MilterCommand {
    public Unknown {
      Objects.requireNonNull(command, "command");
    }

    @Override
    public char code() {
      return 'U';
    }
  }
}
