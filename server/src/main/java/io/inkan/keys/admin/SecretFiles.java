package io.inkan.keys.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Reads files holding secrets (a bind password, a TSIG key), refusing any that its group or other
 * users may read, as {@code RequireSafeKeys} does for key files.
 */
public final class SecretFiles {
  private SecretFiles() {}

  /**
   * The file's text.
   *
   * @throws KeyAdminException when it is missing, unreadable, or readable by group or others
   */
  public static String read(Path file) throws KeyAdminException {
    try {
      if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        if (perms.contains(PosixFilePermission.GROUP_READ)
            || perms.contains(PosixFilePermission.OTHERS_READ)) {
          throw new KeyAdminException(
              file + " holds a secret but group or other users may read it; chmod 600 it");
        }
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new KeyAdminException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new KeyAdminException(file + ": permission denied");
    } catch (IOException e) {
      throw new KeyAdminException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** A password file's first line, without its line end. */
  public static String readPassword(Path file) throws KeyAdminException {
    String text = read(file);
    int end = text.indexOf('\n');
    String line = end < 0 ? text : text.substring(0, end);
    line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    if (line.isEmpty()) {
      throw new KeyAdminException(file + ": the first line (the password) is empty");
    }
    return line;
  }
}
