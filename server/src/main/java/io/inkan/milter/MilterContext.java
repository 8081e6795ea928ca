package io.inkan.milter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a session knows, handed to every {@link MilterHandler} call: negotiated terms, the client,
 * macros per stage and the current transaction's envelope. Owned and updated by the session; read
 * it on the session's thread only. Macro names are looked up with or without braces ({@code i} and
 * {@code {i}} are the same macro), as libmilter's {@code smfi_getsymval} allows.
 */
public final class MilterContext {
  private Negotiation.Agreed negotiation;
  private MilterCommand.Connect connection;
  private String helo;
  private final EnumMap<MacroStage, Map<String, String>> macros = new EnumMap<>(MacroStage.class);
  private List<String> mailArgs = List.of();
  private final List<List<String>> recipients = new ArrayList<>();
  private long messageNumber;
  private long headerBytes;
  private Object connectionState;
  private Object messageState;

  MilterContext() {}

  /** The agreed terms, or null before negotiation. */
  public Negotiation.Agreed negotiation() {
    return negotiation;
  }

  /** The SMTP client, or null when the MTA sent none ({@code NOCONNECT}). */
  public MilterCommand.Connect connection() {
    return connection;
  }

  /** The HELO/EHLO argument, or null. */
  public String helo() {
    return helo;
  }

  /** A macro's value from the latest stage that defines it, or null. */
  public String macro(String name) {
    String key = normalize(name);
    MacroStage[] stages = MacroStage.values();
    for (int i = stages.length - 1; i >= 0; i--) {
      Map<String, String> m = macros.get(stages[i]);
      if (m != null && m.containsKey(key)) {
        return m.get(key);
      }
    }
    return null;
  }

  /** The macros sent for one stage (names without braces). */
  public Map<String, String> macros(MacroStage stage) {
    return Collections.unmodifiableMap(macros.getOrDefault(stage, Map.of()));
  }

  /** The MAIL FROM arguments of the current transaction ({@code <address>} first), or empty. */
  public List<String> mailArgs() {
    return mailArgs;
  }

  /** The sender address without angle brackets, or null before MAIL FROM. */
  public String sender() {
    return mailArgs.isEmpty() ? null : stripBrackets(mailArgs.get(0));
  }

  /** The RCPT TO arguments of the current transaction, one list per recipient. */
  public List<List<String>> recipients() {
    return Collections.unmodifiableList(recipients);
  }

  /** 1 for the first transaction of this session, then 2, ... */
  public long messageNumber() {
    return messageNumber;
  }

  /** Header bytes of the current message so far (name, colon, value, CRLF per field). */
  public long headerBytes() {
    return headerBytes;
  }

  /** The handler's own state for the whole session. */
  public Object connectionState() {
    return connectionState;
  }

  public void setConnectionState(Object state) {
    this.connectionState = state;
  }

  /** The handler's own state for the current message; cleared when a new transaction starts. */
  public Object messageState() {
    return messageState;
  }

  public void setMessageState(Object state) {
    this.messageState = state;
  }

  void negotiated(Negotiation.Agreed agreed) {
    this.negotiation = agreed;
  }

  void connected(MilterCommand.Connect c) {
    this.connection = c;
  }

  void helo(String name) {
    this.helo = name;
  }

  void putMacros(MacroStage stage, Map<String, String> values) {
    Map<String, String> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(normalize(k), v));
    macros.put(stage, m);
  }

  /** Drops the macros of all stages after {@code stage} (all when null), as libmilter does. */
  void clearMacrosAfter(MacroStage stage) {
    for (MacroStage s : MacroStage.values()) {
      if (stage == null || s.ordinal() > stage.ordinal()) {
        macros.remove(s);
      }
    }
  }

  void beginTransaction(List<String> args) {
    messageNumber++;
    mailArgs = args;
    recipients.clear();
    headerBytes = 0;
    messageState = null;
  }

  void addRecipient(List<String> args) {
    recipients.add(args);
  }

  long addHeaderBytes(long n) {
    headerBytes += n;
    return headerBytes;
  }

  void reset() {
    negotiation = null;
    connection = null;
    helo = null;
    macros.clear();
    mailArgs = List.of();
    recipients.clear();
    messageNumber = 0;
    headerBytes = 0;
    connectionState = null;
    messageState = null;
  }

  private static String normalize(String name) {
    return name.length() > 2 && name.startsWith("{") && name.endsWith("}")
        ? name.substring(1, name.length() - 1)
        : name;
  }

  private static String stripBrackets(String a) {
    return a.length() >= 2 && a.startsWith("<") && a.endsWith(">")
        ? a.substring(1, a.length() - 1)
        : a;
  }
}
