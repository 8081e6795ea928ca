package io.inkan.keys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Creates key files, never replacing one that exists. */
public final class KeyFiles {
  private static final Set<OpenOption> CREATE_NEW =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  private KeyFiles() {}

  /**
   * Creates a private key file with mode 0600 in the same system call that makes it, so there is no
   * moment when others may read it. Where the file system has no POSIX modes (Windows), the
   * directory's access rules apply instead.
   *
   * @throws FileAlreadyExistsException when the file exists; it is left alone
   */
  public static void createPrivate(Path file, String text) throws IOException {
    SeekableByteChannel channel;
    try {
      channel =
          Files.newByteChannel(
              file,
              CREATE_NEW,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException notPosix) {
      channel = Files.newByteChannel(file, CREATE_NEW);
    }
    fill(file, channel, text);
  }

  /**
   * Creates a file with the process's default mode, for public data such as a key record.
   *
   * @throws FileAlreadyExistsException when the file exists; it is left alone
   */
  public static void createPublic(Path file, String text) throws IOException {
    fill(file, Files.newByteChannel(file, CREATE_NEW), text);
  }

  /** Deletes a file if it is there, for cleaning up after another error. */
  public static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the error being reported already names the file
    }
  }

  /** Writes a file just created; on failure removes it, so that no partial key remains. */
  private static void fill(Path file, SeekableByteChannel channel, String text) throws IOException {
    try (channel) {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    } catch (IOException e) {
      deleteQuietly(file);
      throw e;
    }
  }
}
