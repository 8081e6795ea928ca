package io.inkan.dataset.je;

import io.inkan.dataset.DataSet;
import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.DataSetException;
import io.inkan.dataset.DataSets;
import io.inkan.dataset.KeyCase;
import io.inkan.dataset.Source;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code inkan db import} reads: an OpenDKIM table in the plain format of {@code file:} sets
 * (read by the same parser, through {@link DataSets}), the output of {@code db_dump -p} or {@code
 * db_dump} ({@link DbDumpReader}), told apart by a first line {@code VERSION=n}, or a C Berkeley DB
 * file itself, read through the C library's {@code db_dump}.
 */
public final class TableImport {
  private TableImport() {}

  /** The entries of {@code source}, a file name. */
  public static List<DataSetEntry> read(Path source) throws JeTableException, IOException {
    if (Files.isRegularFile(source)) {
      Optional<String> kind = BerkeleyDbFiles.kind(source);
      if (kind.isPresent()) {
        byte[] dump = BerkeleyDbFiles.dump(source, kind.get());
        return DbDumpReader.read(dump, "db_dump -p " + source);
      }
    } else if (Files.isDirectory(source)) {
      throw new JeTableException(source + " is a directory, not a table or a dump");
    }
    byte[] bytes = Files.readAllBytes(source);
    if (DbDumpReader.looksLikeDump(bytes)) {
      return DbDumpReader.read(bytes, source.toString());
    }
    return plain(source, source.toString());
  }

  /** The entries of bytes read from a stream, {@code name} naming it in messages. */
  public static List<DataSetEntry> read(byte[] bytes, String name)
      throws JeTableException, IOException {
    if (DbDumpReader.looksLikeDump(bytes)) {
      return DbDumpReader.read(bytes, name);
    }
    Path temp = Files.createTempFile("inkan-import", ".table");
    try {
      Files.write(temp, bytes);
      return plain(temp, name);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** A plain table through the {@code file:} parser; sources and messages name {@code name}. */
  private static List<DataSetEntry> plain(Path file, String name) throws JeTableException {
    String spec = "file:" + file;
    Source declared = new Source(file.toString(), 0);
    try (DataSet set = DataSets.parse(spec, declared.file(), 0, KeyCase.SENSITIVE)) {
      List<DataSetEntry> out = new ArrayList<>();
      for (DataSetEntry e : set.localEntries().orElseThrow()) {
        out.add(new DataSetEntry(e.key(), e.value(), new Source(name, e.source().line())));
      }
      return out;
    } catch (DataSetException e) {
      String prefix =
          declared
              + ": data set \""
              + spec
              + "\": "
              + (e.entryAt() == null ? "" : e.entryAt() + ": ");
      String reason =
          e.getMessage().startsWith(prefix)
              ? e.getMessage().substring(prefix.length())
              : e.getMessage();
      Source at = e.entryAt() == null ? new Source(name, 0) : new Source(name, e.entryAt().line());
      throw JeTableException.at(at, reason);
    }
  }
}
