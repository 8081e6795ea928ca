package io.inkan.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads an opendkim.conf-format file (and its {@code Include}s) into a {@link Config}. */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Loads {@code file}. When a key appears more than once, the last occurrence in reading order
   * ({@code Include}s expanded in place) wins, as in OpenDKIM, but every occurrence must be valid.
   *
   * @throws ConfigException naming file, line, key, what was expected and what was found
   */
  public static LoadedConfig load(Path file) throws ConfigException {
    ConfigFileReader reader = new ConfigFileReader();
    reader.read(file);
    ConfigBuilder builder = new ConfigBuilder();
    for (ConfigLine line : reader.lines()) {
      builder.apply(line);
    }
    List<ConfigWarning> warnings = new ArrayList<>(reader.warnings());
    warnings.addAll(builder.warnings());
    return new LoadedConfig(builder.build(), warnings);
  }
}
