package io.inkan.config;

/**
 * A configuration file that cannot be used. The message always reads {@code FILE:LINE: KEY: what
 * was expected, got VALUE}, so an operator can go straight to the line.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final int line;
  private final String key;
  private final String expected;
  private final String value;

  public ConfigException(String file, int line, String key, String expected, String value) {
    super(file + ":" + line + ": " + key + ": " + expected + ", got " + value);
    this.file = file;
    this.line = line;
    this.key = key;
    this.expected = expected;
    this.value = value;
  }

  /** The configuration file, as named by the caller or by the {@code Include} that read it. */
  public String file() {
    return file;
  }

  /** The 1-based line number; 0 when the file itself could not be read. */
  public int line() {
    return line;
  }

  /** The key as written in the file. */
  public String key() {
    return key;
  }

  public String expected() {
    return expected;
  }

  public String value() {
    return value;
  }
}
