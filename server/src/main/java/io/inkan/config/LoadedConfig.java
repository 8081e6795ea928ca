package io.inkan.config;

import java.util.List;

/** A loaded configuration and the warnings to log once at start-up. */
public record LoadedConfig(Config config, List<ConfigWarning> warnings) {
  public LoadedConfig {
    warnings = List.copyOf(warnings);
  }
}
