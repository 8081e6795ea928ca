package io.inkan.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes configuration text into a test's temporary folder and loads it. */
final class ConfigFiles {
  private final Path dir;

  ConfigFiles(Path dir) {
    this.dir = dir;
  }

  Path write(String name, String text) {
    try {
      return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  LoadedConfig load(String text) throws ConfigException {
    return ConfigLoader.load(write("t.conf", text));
  }

  Config config(String text) throws ConfigException {
    return load(text).config();
  }

  /** The message of loading {@code text}, which must fail. */
  String error(String text) {
    try {
      load(text);
    } catch (ConfigException e) {
      return e.getMessage().replace(dir.resolve("t.conf").toString(), "t.conf");
    }
    throw new AssertionError("loaded without error: " + text);
  }

  static Path resource(String name) {
    return Path.of("src/test/resources/config", name);
  }
}
