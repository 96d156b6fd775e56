package org.bftlab.step;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bftlab step --tui}: a line REPL over a {@link Stepper}, one command per line, for
 * people without a browser and for scripted tests. After each command it prints what happened
 * (the narration of the new step) and the messages in flight. A bad command prints
 * {@code error: …} and changes nothing.
 */
public final class StepRepl {
  static final String HELP = String.join("\n",
      "commands:",
      "  step [k]                 deliver the oldest message in flight (a tick if none), k times",
      "  deliver <id> | drop <id> | dup <id>   act on one message in flight",
      "  tick                     one tick of virtual time on every running replica",
      "  timer <node>             tick node's view-change timer until it expires",
      "  crash <node> | restart <node>",
      "  request [primary|all|retry|node-i]   the client sends a (new, or the last: retry) REQUEST",
      "  back [k] | goto <k>      rewind k steps / go to step k (replayed from the seed)",
      "  show [node-i]            replica state (all replicas without an argument)",
      "  list                     messages in flight",
      "  run-until committed <n>  step until every running replica is committed-local at n",
      "  save <file> | load <file>   the schedule (seed and choices)",
      "  help | quit");

  private Stepper stepper;
  private final PrintStream out;

  public StepRepl(Stepper stepper, PrintStream out) {
    this.stepper = stepper;
    this.out = out;
  }

  /** The stepper now (a {@code load} replaces it). */
  public Stepper stepper() {
    return stepper;
  }

  /** Reads commands until end of input or {@code quit}. */
  public void run(BufferedReader in) throws IOException {
    out.println("bftlab step: " + stepper.config().name() + ", n = " + stepper.config().n()
        + ", f = " + stepper.f() + ", seed " + stepper.config().seed() + " — type 'help'");
    stepper.config().ignored().forEach(i -> out.println("  not scheduled (inject by hand): " + i));
    stepper.narration().forEach(out::println);
    printInFlight();
    out.print("> ");
    out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      line = line.trim();
      if (line.equals("quit") || line.equals("exit")) {
        break;
      }
      if (!line.isEmpty() && !line.startsWith("#")) {
        try {
          execute(line);
        } catch (IllegalArgumentException e) {
          out.println("error: " + e.getMessage());
        }
      }
      out.print("> ");
      out.flush();
    }
    out.println();
  }

  /** Runs one command line; throws IllegalArgumentException for a bad one. */
  void execute(String line) throws IOException {
    String[] p = line.split("\\s+");
    String arg = p.length > 1 ? p[1] : "";
    switch (p[0]) {
      case "help" -> out.println(HELP);
      case "step" -> {
        int k = arg.isEmpty() ? 1 : positive(arg, "step");
        int from = stepper.position();
        for (int i = 0; i < k; i++) {
          stepper.step();
        }
        printSteps(from);
      }
      case "deliver", "drop", "dup", "tick", "timer", "crash", "restart", "request" -> {
        int from = stepper.position();
        String a = p[0].equals("request") && arg.isEmpty() ? "primary" : arg;
        stepper.apply(new Choice(p[0], a));
        printSteps(from);
      }
      case "back" -> {
        stepper.back(arg.isEmpty() ? 1 : positive(arg, "back"));
        out.println("at step " + stepper.position() + " of " + stepper.timeline().size());
        printInFlight();
      }
      case "goto" -> {
        stepper.seek(nonNegative(arg, "goto"));
        out.println("at step " + stepper.position() + " of " + stepper.timeline().size());
        printInFlight();
      }
      case "show" -> {
        List<ReplicaView> rs = arg.isEmpty() ? stepper.replicas() : List.of(stepper.replica(arg));
        rs.forEach(r -> out.println(format(r)));
      }
      case "list" -> printInFlight();
      case "run-until" -> {
        if (p.length != 3 || !p[1].equals("committed")) {
          throw new IllegalArgumentException("usage: run-until committed <seqNo>");
        }
        int from = stepper.position();
        boolean ok = stepper.runUntilCommitted(positive(p[2], "run-until committed"));
        printSteps(from);
        out.println(ok ? "every running replica is committed-local at n=" + p[2]
            : "stopped: n=" + p[2] + " is not committed-local everywhere (nothing left to do)");
      }
      case "save" -> {
        stepper.save(Path.of(need(arg, "save")));
        out.println("saved " + stepper.position() + " choices to " + arg);
      }
      case "load" -> {
        stepper = Stepper.load(Path.of(need(arg, "load")));
        out.println("loaded " + arg + ": at step " + stepper.position());
        printInFlight();
      }
      default -> throw new IllegalArgumentException("unknown command '" + p[0] + "' (try help)");
    }
  }

  private void printSteps(int from) {
    for (int k = from + 1; k <= stepper.position(); k++) {
      out.println("step " + k + ": " + stepper.timeline().get(k - 1));
      for (String s : stepper.narrationOf(k)) {
        out.println("  " + s);
      }
    }
    printInFlight();
  }

  private void printInFlight() {
    List<InFlight> f = stepper.inFlight();
    out.println("in flight (" + f.size() + "):" + (f.isEmpty() ? " none" : ""));
    for (InFlight m : f.subList(0, Math.min(12, f.size()))) {
      out.println("  #" + m.id() + " " + m.label());
    }
    if (f.size() > 12) {
      out.println("  … " + (f.size() - 12) + " more ('list')");
    }
  }

  /** One replica as text, e.g. for {@code show node-1}. */
  static String format(ReplicaView r) {
    if (!r.up()) {
      return r.node() + ": crashed";
    }
    StringBuilder b = new StringBuilder();
    b.append(r.node()).append(": view ").append(r.view()).append(", ").append(r.role())
        .append(" (primary ").append(r.primary()).append("), h=").append(r.h()).append(" H=")
        .append(r.hHigh()).append(", stable checkpoint ").append(r.stableCheckpoint())
        .append(", height ").append(r.height()).append(" head ").append(r.head())
        .append(", timer ").append(r.timer());
    for (ReplicaView.SlotView s : r.slots()) {
      b.append("\n  n=").append(s.seqNo()).append(" v=").append(s.view()).append(' ')
          .append(s.phase()).append(", prepares ").append(s.prepares()).append('/')
          .append(s.prepareQuorum()).append(" (2f), commits ").append(s.commits()).append('/')
          .append(s.commitQuorum()).append(" (2f+1)")
          .append(s.digest().isEmpty() ? "" : ", d=" + s.digest());
    }
    return b.toString();
  }

  private static String need(String arg, String cmd) {
    if (arg.isEmpty()) {
      throw new IllegalArgumentException("'" + cmd + "' needs a file");
    }
    return arg;
  }

  private static int positive(String s, String cmd) {
    int k = nonNegative(s, cmd);
    if (k < 1) {
      throw new IllegalArgumentException("'" + cmd + "' needs a number >= 1, got " + s);
    }
    return k;
  }

  private static int nonNegative(String s, String cmd) {
    try {
      int k = Integer.parseInt(s);
      if (k >= 0) {
        return k;
      }
    } catch (NumberFormatException e) {
      // falls through
    }
    throw new IllegalArgumentException("'" + cmd + "' needs a number >= 0, got '" + s + "'");
  }
}
