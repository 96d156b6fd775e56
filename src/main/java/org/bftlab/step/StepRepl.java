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
      "  hold <id>                delay a message: it stays in flight, 'step' passes it by",
      "  tick                     one tick of virtual time on every running replica",
      "  timer <node>             tick node's view-change timer until it expires",
      "  crash <node> | restart <node> | amnesia <node> (crash, lose the journal, restart)",
      "  byzantine <node> silent|equivocate [node,…]|forge-signature   make a node lie",
      "  partition node-0,node-1[|node-2] | heal   cut the network between groups / mend it",
      "  badges                   the simulator's checkers on the run so far (safety, liveness)",
      "  tour normal|view-change | next | prev   a guided tour (a fresh normal-case run)",
      "  request [primary|all|retry|node-i]   the client sends a (new, or the last: retry) REQUEST",
      "  back [k] | goto <k>      rewind k steps / go to step k (replayed from the seed)",
      "  show [node-i]            replica state (all replicas without an argument)",
      "  list                     messages in flight",
      "  run-until committed <n>  step until every running replica is committed-local at n",
      "  save <file> | load <file>   the schedule (seed and choices)",
      "  help | quit");

  private Stepper stepper;
  private Tour tour;
  private final PrintStream out;

  public StepRepl(Stepper stepper, PrintStream out) {
    this.stepper = stepper;
    this.out = out;
  }

  /** The stepper now (a {@code load} or a {@code tour} replaces it). */
  public Stepper stepper() {
    return stepper;
  }

  /** The guided tour in progress, or null. */
  public Tour tour() {
    return tour;
  }

  /** Reads commands until end of input or {@code quit}. */
  public void run(BufferedReader in) throws IOException {
    out.println("bftlab step: " + stepper.config().name() + ", n = " + stepper.config().n()
        + ", f = " + stepper.f() + ", seed " + stepper.config().seed() + " — type 'help'");
    stepper.config().faults().forEach(f -> out.println("  scheduled at tick " + f.tick() + ": "
        + f.choice()));
    stepper.config().ignored().forEach(i -> out.println("  not applied: " + i));
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
    String rest = p.length > 1 ? line.trim().substring(p[0].length()).trim() : "";
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
      case "deliver", "drop", "dup", "hold", "tick", "timer", "crash", "restart", "amnesia",
          "request", "byzantine", "partition", "heal" -> {
        int from = stepper.position();
        String a = p[0].equals("request") && arg.isEmpty() ? "primary" : rest;
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
      case "badges" -> printBadges();
      case "tour" -> {
        Stepper fresh = new Stepper(StepConfig.normalCase(stepper.config().seed()));
        tour = Tour.start(need(arg, "tour"), fresh);
        stepper = fresh;
        printStop(0);
      }
      case "next", "prev" -> {
        if (tour == null) {
          throw new IllegalArgumentException("no tour: start one with 'tour normal' or"
              + " 'tour view-change'");
        }
        int from = stepper.position();
        var stop = p[0].equals("next") ? tour.next(stepper) : tour.back(stepper);
        if (stop.isEmpty()) {
          out.println(p[0].equals("next") ? "the tour is over ('prev' goes back)"
              : "this is the tour's first stop");
        } else {
          printStop(from);
        }
      }
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
        tour = null;
        out.println("loaded " + arg + ": at step " + stepper.position());
        printInFlight();
      }
      default -> throw new IllegalArgumentException("unknown command '" + p[0] + "' (try help)");
    }
  }

  private void printStop(int from) {
    Tour.Stop stop = tour.current();
    out.println("tour " + tour.name() + " " + (tour.index() + 1) + "/" + tour.size() + " — "
        + stop.title() + ": " + stop.words());
    if (stepper.position() > from) {
      printSteps(from);
    } else {
      out.println("at step " + stepper.position());
      printInFlight();
    }
  }

  private void printBadges() {
    Badges b = stepper.badges();
    out.println("safety: " + b.safety() + ", liveness: " + b.liveness() + ", fault model: "
        + b.faultModel() + (b.faulty().isEmpty() ? "" : " (faulty " + b.faulty() + ")"));
    if (!b.detail().isEmpty()) {
      out.println("  " + b.detail());
    }
    if (b.violationStep() > 0) {
      out.println("  first unsafe at step " + b.violationStep() + ": " + b.violationAt());
    }
  }

  private void printSteps(int from) {
    for (int k = from + 1; k <= stepper.position(); k++) {
      out.println("step " + k + ": " + stepper.timeline().get(k - 1));
      for (String s : stepper.narrationOf(k)) {
        out.println("  " + s);
      }
    }
    if (stepper.position() != from && !stepper.badges().safety().equals("safe")) {
      printBadges();
    }
    printInFlight();
  }

  private void printInFlight() {
    List<InFlight> f = stepper.inFlight();
    out.println("in flight (" + f.size() + "):" + (f.isEmpty() ? " none" : ""));
    for (InFlight m : f.subList(0, Math.min(12, f.size()))) {
      out.println("  #" + m.id() + " " + m.label()
          + (stepper.held(m.id()) ? " (held)" : ""));
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
