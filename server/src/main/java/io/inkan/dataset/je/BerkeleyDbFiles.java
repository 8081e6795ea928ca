package io.inkan.dataset.je;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Files of the C Berkeley DB library, as OpenDKIM's {@code db:} data sets used: recognised by the
 * magic number of their metadata page, and read through the library's own {@code db_dump}.
 */
public final class BerkeleyDbFiles {
  /** Dump tools tried in order: Debian's db5.3-util, then an unversioned one. */
  private static final List<String> DUMP_TOOLS = List.of("db5.3_dump", "db_dump");

  private BerkeleyDbFiles() {}

  /**
   * The access method of a C Berkeley DB file ({@code btree}, which recno shares, {@code hash},
   * {@code queue} or {@code heap}), or empty when {@code file} is not one. Version 2 and later keep
   * the magic number at byte 12 of the metadata page, 1.85 at byte 0; either byte order.
   */
  public static Optional<String> kind(Path file) throws IOException {
    byte[] head = new byte[16];
    int n;
    try (InputStream in = Files.newInputStream(file)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n < 16) {
      return Optional.empty();
    }
    Optional<String> kind = kind(head, 12);
    return kind.isPresent() ? kind : kind(head, 0);
  }

  private static Optional<String> kind(byte[] b, int at) {
    int little =
        (b[at] & 0xff)
            | (b[at + 1] & 0xff) << 8
            | (b[at + 2] & 0xff) << 16
            | (b[at + 3] & 0xff) << 24;
    int big = Integer.reverseBytes(little);
    for (int magic : new int[] {little, big}) {
      switch (magic) {
        case 0x053162:
          return Optional.of("btree");
        case 0x061561:
          return Optional.of("hash");
        case 0x042253:
          return Optional.of("queue");
        case 0x074582:
          return Optional.of("heap");
        default:
          break;
      }
    }
    return Optional.empty();
  }

  /** The first dump tool on {@code PATH}, if any. */
  public static Optional<Path> dumpTool() {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String tool : DUMP_TOOLS) {
      for (String dir : path.split(File.pathSeparator)) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** {@code file} in {@code db_dump -p} format, made by the C library's dump tool. */
  public static byte[] dump(Path file, String kind) throws JeTableException, IOException {
    Path tool =
        dumpTool()
            .orElseThrow(
                () ->
                    new JeTableException(
                        file
                            + " is a C Berkeley DB "
                            + kind
                            + " file; reading it needs db5.3_dump (Debian package db5.3-util) or"
                            + " db_dump, or import the output of \"db_dump -p "
                            + file
                            + "\" made elsewhere"));
    Process p =
        new ProcessBuilder(tool.toString(), "-p", file.toString())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    int status;
    try {
      status = p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + tool, e);
    }
    if (status != 0) {
      String why = new String(err.join(), StandardCharsets.UTF_8).strip();
      int nl = why.indexOf('\n');
      throw new JeTableException(
          tool.getFileName()
              + " -p "
              + file
              + " failed (exit status "
              + status
              + ")"
              + (why.isEmpty() ? "" : ": " + (nl < 0 ? why : why.substring(0, nl))));
    }
    return out;
  }

  private static byte[] drain(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      return new byte[0];
    }
  }
}
