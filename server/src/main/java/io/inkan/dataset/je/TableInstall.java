package io.inkan.dataset.je;

import io.inkan.dataset.DataSetEntry;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Builds a table's JE environment in a new directory next to its destination, then renames it into
 * place, so that a reader opening the destination finds the old table or the new one, never half of
 * one. Replacing moves the old directory aside first (Linux cannot rename over a non-empty
 * directory), so for that instant the destination is missing; readers that have it open keep their
 * view until they reopen.
 */
public final class TableInstall {
  private static final Set<PosixFilePermission> NEW_DIR =
      PosixFilePermissions.fromString("rwxr-xr-x");

  private TableInstall() {}

  /**
   * Writes {@code entries} (the first entry with a key wins) as the table in {@code dir}.
   *
   * @param replace whether an existing table in {@code dir} may be replaced; a directory holding
   *     anything but JE's files is never replaced
   * @return how many distinct keys were stored
   */
  public static int install(List<DataSetEntry> entries, Path dir, boolean replace)
      throws JeTableException, IOException {
    Path target = dir.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new JeTableException(dir + ": the directory it would be in does not exist");
    }
    boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
    if (exists && !replace) {
      throw new JeTableException(dir + " already exists; not replacing it without --replace");
    }
    if (exists) {
      checkReplaceable(dir, target);
    }
    String name = target.getFileName().toString();
    Path temp = Files.createTempDirectory(parent, "." + name + ".new-");
    try {
      Files.setPosixFilePermissions(temp, exists ? Files.getPosixFilePermissions(target) : NEW_DIR);
      int stored = write(entries, temp);
      if (exists) {
        swap(temp, target, parent.resolve("." + name + ".old-" + UUID.randomUUID()));
      } else {
        move(temp, target);
      }
      return stored;
    } finally {
      deleteTree(temp);
    }
  }

  private static void checkReplaceable(Path dir, Path target) throws JeTableException, IOException {
    if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new JeTableException(dir + " is not a directory; not replacing it");
    }
    try (Stream<Path> files = Files.list(target)) {
      List<String> foreign =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> !JeLayout.isJeFile(n))
              .sorted()
              .toList();
      if (!foreign.isEmpty()) {
        throw new JeTableException(
            dir + " holds " + foreign.get(0) + ", not just a JE environment; not replacing it");
      }
    }
  }

  private static int write(List<DataSetEntry> entries, Path dir) throws JeTableException {
    int stored = 0;
    JeTableWriter writer = JeTableWriter.create(dir);
    try {
      for (DataSetEntry e : entries) {
        if (writer.add(e.key(), e.value())) {
          stored++;
        }
      }
    } finally {
      writer.close();
    }
    return stored;
  }

  private static void swap(Path fresh, Path target, Path aside) throws IOException {
    move(target, aside);
    try {
      move(fresh, target);
    } catch (IOException e) {
      move(aside, target);
      throw e;
    }
    deleteTree(aside);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      throw new IOException("cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(dir)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
