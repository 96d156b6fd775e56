package org.bftlab.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bftlab}: the entry point of the launcher script. */
@Command(name = "bftlab", mixinStandardHelpOptions = true, version = "bftlab 0.1.0",
    description = "PBFT permissioned-blockchain cluster on Apache Pekko.",
    subcommands = {DemoCommand.class, NodeCommand.class, ClientCommand.class,
        CryptogenCommand.class, SimCommand.class, StepCommand.class, BenchCommand.class,
        AdminCommand.class, CheckCommand.class, LabCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Runs the command line; exits with the command's exit code. */
  public static void main(String[] args) {
    // With 2 cores the common pool has parallelism 1, and CompletableFuture then starts a new
    // thread for every async callback; give it two workers before anything touches it.
    if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null) {
      System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism",
          Integer.toString(Math.max(2, Runtime.getRuntime().availableProcessors())));
    }
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
