package io.inkan.cli;

import io.inkan.dataset.DataSetEntry;
import io.inkan.dataset.je.JeTableException;
import io.inkan.dataset.je.TableExport;
import io.inkan.dataset.je.TableImport;
import io.inkan.dataset.je.TableInstall;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code inkan db}: moves OpenDKIM's {@code db:} tables into the Berkeley DB Java Edition
 * environments Inkan reads ({@code import}) and back out as plain tables ({@code export}).
 */
@Command(
    name = "db",
    mixinStandardHelpOptions = true,
    versionProvider = InkanMain.Version.class,
    description = {
      "Convert OpenDKIM db: tables. OpenDKIM kept them in C Berkeley DB files, which Java cannot"
          + " read; Inkan's db:DIR is a Berkeley DB Java Edition environment directory made by"
          + " \"inkan db import\".",
      ""
    },
    subcommands = {DbCommand.Import.class, DbCommand.Export.class})
final class DbCommand implements Runnable {
  /** Exit status when the input or the database is at fault. */
  static final int EXIT_ERROR = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "a subcommand is required: import or export");
  }

  private static int fail(CommandSpec spec, String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("inkan db " + spec.name() + ": " + message);
    err.flush();
    return EXIT_ERROR;
  }

  /** An I/O failure as one line naming the file. */
  private static String describe(IOException e) {
    if (e instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    if (e instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    return e.toString();
  }

  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      versionProvider = InkanMain.Version.class,
      description = {
        "Build the db: table DB-DIR from SRC: a table in OpenDKIM's plain file: format, the output"
            + " of \"db_dump -p\" (or db_dump), or an OpenDKIM C Berkeley DB file itself (read"
            + " with db5.3_dump from Debian's db5.3-util, or db_dump). SRC - reads standard input.",
        "The first entry with a key wins. The table is built in a new directory next to DB-DIR"
            + " and renamed into place; a running server sees it after a reload.",
        ""
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:the table was written",
        "1:bad input (the message names file:line), DB-DIR exists, or an I/O error",
        "2:usage error"
      })
  static final class Import implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SRC", description = "Table, dump or C Berkeley DB file.")
    String source;

    @Parameters(index = "1", paramLabel = "DB-DIR", description = "Environment directory to make.")
    Path dbDir;

    @Option(names = "--replace", description = "Replace DB-DIR if it holds a table already.")
    boolean replace;

    @Option(
        names = {"-v", "--verbose"},
        description = "Report on standard error how many keys were written.")
    boolean verbose;

    @Override
    public Integer call() {
      try {
        List<DataSetEntry> entries =
            source.equals("-")
                ? TableImport.read(System.in.readAllBytes(), "-")
                : TableImport.read(Path.of(source));
        int stored = TableInstall.install(entries, dbDir, replace);
        if (verbose) {
          PrintWriter err = spec.commandLine().getErr();
          err.println("inkan db import: " + stored + " keys written to " + dbDir);
          err.flush();
        }
        return 0;
      } catch (JeTableException e) {
        return fail(spec, e.getMessage());
      } catch (IOException e) {
        return fail(spec, describe(e));
      }
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      versionProvider = InkanMain.Version.class,
      description = {
        "Write the db: table DB-DIR as a table in OpenDKIM's plain file: format, in key order, to"
            + " OUT (replaced as a whole) or standard output.",
        ""
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:the table was written",
        "1:DB-DIR is not a table, holds an entry the format cannot, or an I/O error",
        "2:usage error"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DB-DIR", description = "Environment directory.")
    Path dbDir;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "OUT",
        description = "File to write; - or none for standard output.")
    String out = "-";

    @Override
    public Integer call() {
      try {
        if (out.equals("-")) {
          OutputStream stdout = System.out;
          TableExport.export(dbDir, stdout);
          stdout.flush();
          return 0;
        }
        Path target = Path.of(out).toAbsolutePath();
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".new");
        try {
          Files.setPosixFilePermissions(
              temp,
              Files.exists(target)
                  ? Files.getPosixFilePermissions(target)
                  : PosixFilePermissions.fromString("rw-r--r--"));
          try (OutputStream file = Files.newOutputStream(temp)) {
            TableExport.export(dbDir, file);
          }
          Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(temp);
        }
        return 0;
      } catch (JeTableException e) {
        return fail(spec, e.getMessage());
      } catch (IOException e) {
        return fail(spec, describe(e));
      }
    }
  }
}
