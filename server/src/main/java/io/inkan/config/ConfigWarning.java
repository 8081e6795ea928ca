package io.inkan.config;

/** A line that was accepted but has no effect, or a deprecated spelling; reported once. */
public record ConfigWarning(String file, int line, String key, String message) {
  @Override
  public String toString() {
    return file + ":" + line + ": " + key + ": " + message;
  }
}
