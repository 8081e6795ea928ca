package io.inkan.cli;

import io.inkan.keys.admin.DkimNames;
import io.inkan.keys.admin.KeyAdminException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every {@code inkan keys} subcommand shares: the connection options and the exit statuses, 0
 * done, 1 failed (one line naming the reason), 2 usage error.
 */
abstract class KeysSubcommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KeysConnectionOptions connection;

  /** Does the work, writing results to {@code out}. */
  abstract void run(PrintWriter out) throws KeyAdminException, KeysUsageException;

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try {
      run(out);
      out.flush();
      return 0;
    } catch (KeysUsageException e) {
      out.flush();
      return fail(e.getMessage(), InkanMain.EXIT_USAGE);
    } catch (KeyAdminException e) {
      out.flush();
      return fail(e.getMessage(), KeysCommand.EXIT_FAILED);
    }
  }

  private int fail(String message, int status) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("inkan keys " + spec.name() + ": " + message);
    err.flush();
    return status;
  }

  /** The domain in lower case without a final dot. */
  static String domain(String option) throws KeysUsageException {
    Optional<String> problem = DkimNames.domainProblem(option);
    if (problem.isPresent()) {
      throw new KeysUsageException("--domain " + problem.get());
    }
    return DkimNames.normalize(option);
  }

  static String selector(String option) throws KeysUsageException {
    Optional<String> problem = DkimNames.selectorProblem(option);
    if (problem.isPresent()) {
      throw new KeysUsageException("--selector " + problem.get());
    }
    return option;
  }
}
