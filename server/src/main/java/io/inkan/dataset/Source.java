package io.inkan.dataset;

import java.util.Objects;

/**
 * A place in a text file: a configuration line that declares a data set, or a line of a data set
 * file. Line numbers start at 1; 0 means "the file as a whole".
 */
public record Source(String file, int line) {
  public Source {
    Objects.requireNonNull(file, "file");
    if (line < 0) {
      throw new IllegalArgumentException("line must be >= 0, got " + line);
    }
  }

  @Override
  public String toString() {
    return line == 0 ? file : file + ":" + line;
  }
}
