package org.bftlab.step;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bftlab.sim.SimKeys;
import org.bftlab.sim.check.Verdict;
import org.bftlab.trace.Mark;

/**
 * A stepped run as a timeline: the config, the recorded choices, and the position in them.
 * Going {@link #back} or to any step ({@link #seek}) rebuilds the run from the seed and replays
 * the first k choices (deterministic replay), keeping the later choices as the recorded future
 * that {@link #step} follows again; an intervention that differs from the recorded future forks
 * the timeline and discards that future, as RaftScope does. Not thread-safe (the web server
 * serialises access).
 */
public final class Stepper {
  /** First line of a schedule file. */
  public static final String SCHEDULE_HEADER = "# bftlab step schedule v1";
  /** Most steps {@link #runUntilCommitted} takes before it gives up. */
  static final int RUN_UNTIL_LIMIT = 2_000;
  /** Ticks in a row with nothing in flight after which {@link #runUntilCommitted} gives up. */
  static final int MAX_IDLE_TICKS = 3;

  private final StepConfig cfg;
  private final List<Choice> timeline = new ArrayList<>();
  private StepWorld world;
  /** The checkers' verdict at the current position (null: not computed yet). */
  private Verdict verdict;
  /** The step of the timeline whose choice first made the run unsafe, -1 if none. */
  private int firstUnsafe = -1;

  public Stepper(StepConfig cfg) {
    this.cfg = Objects.requireNonNull(cfg, "cfg");
    this.world = new StepWorld(cfg);
  }

  public StepConfig config() {
    return cfg;
  }

  /** The current step k (choices applied). */
  public int position() {
    return world.step();
  }

  /** Choices recorded, including a future beyond {@link #position()} after going back. */
  public List<Choice> timeline() {
    return List.copyOf(timeline);
  }

  /** The choices up to the current position: the schedule a save writes. */
  public List<Choice> schedule() {
    return List.copyOf(timeline.subList(0, position()));
  }

  /**
   * Applies an intervention at the current position. If it equals the recorded next choice it
   * simply moves forward; otherwise the recorded future is discarded (a fork).
   *
   * @throws IllegalArgumentException if the choice cannot be applied now (nothing changes)
   */
  public void apply(Choice c) {
    int k = position();
    world.apply(c);
    verdict = null;
    if (k >= timeline.size() || !timeline.get(k).equals(c)) {
      timeline.subList(k, timeline.size()).clear();
      timeline.add(c);
      if (firstUnsafe > k) {
        firstUnsafe = -1;
      }
    }
    if (firstUnsafe < 0 && !verdict().safe()) {
      firstUnsafe = position();
    }
  }

  /**
   * The simulator's checkers over the run so far ({@link org.bftlab.sim.check.Checkers}): safety
   * over the correct replicas, liveness within the fault model (see {@link Invariants}).
   */
  public Verdict verdict() {
    if (verdict == null) {
      verdict = Invariants.judge(world.trace(), world.verifier());
    }
    return verdict;
  }

  /** The invariant badges at the current position, with the step that first broke safety. */
  public Badges badges() {
    Verdict v = verdict();
    int k = v.safe() ? -1 : firstUnsafe > 0 && firstUnsafe <= position() ? firstUnsafe
        : position();
    String at = "";
    if (k > 0) {
      at = timeline.get(k - 1).toString() + world.arrows().stream()
          .filter(a -> a.doneStep() == k).findFirst().map(a -> ": " + a.message().label())
          .orElse("");
    }
    return Badges.of(v, world.now(), k, at);
  }

  /** One step: the recorded next choice if there is one, else the oldest message (or a tick). */
  public Choice step() {
    Choice c = position() < timeline.size() ? timeline.get(position()) : world.nextDefault();
    apply(c);
    return c;
  }

  /** Back {@code steps} steps (replays from the seed). */
  public void back(int steps) {
    seek(Math.max(0, position() - steps));
  }

  /**
   * Goes to step {@code k} of the recorded timeline by replaying its first k choices from the
   * seed.
   *
   * @throws IllegalArgumentException if k is not in 0..timeline size
   */
  public void seek(int k) {
    if (k < 0 || k > timeline.size()) {
      throw new IllegalArgumentException("step " + k + " is outside the recorded run 0.."
          + timeline.size());
    }
    StepWorld w = new StepWorld(cfg);
    for (Choice c : timeline.subList(0, k)) {
      w.apply(c);
    }
    world = w;
    verdict = null;
  }

  /**
   * Steps until every running replica is committed-local at {@code seqNo} (or has executed past
   * it), ticking when nothing is in flight; false if that does not happen within {@value
   * #RUN_UNTIL_LIMIT} steps or {@value #MAX_IDLE_TICKS} ticks in a row send nothing.
   */
  public boolean runUntilCommitted(long seqNo) {
    int idleTicks = 0;
    for (int i = 0; i < RUN_UNTIL_LIMIT; i++) {
      if (committedEverywhere(seqNo)) {
        return true;
      }
      boolean idle = world.inFlight().isEmpty() && position() >= timeline.size();
      idleTicks = idle ? idleTicks + 1 : 0;
      if (idleTicks > MAX_IDLE_TICKS) {
        return false;
      }
      step();
    }
    return committedEverywhere(seqNo);
  }

  private boolean committedEverywhere(long seqNo) {
    boolean any = false;
    for (ReplicaView r : world.replicas()) {
      if (!r.up()) {
        continue;
      }
      any = true;
      boolean done = r.height() >= seqNo || r.slot(seqNo)
          .map(s -> s.phase().equals("committed-local")).orElse(false);
      if (!done) {
        return false;
      }
    }
    return any;
  }

  // ---- read side -------------------------------------------------------------------------------

  public List<ReplicaView> replicas() {
    return world.replicas();
  }

  public ReplicaView replica(String node) {
    return world.replica(node);
  }

  public List<InFlight> inFlight() {
    return world.inFlight();
  }

  /** Whether message {@code id} is held (delayed: {@code step} passes it by). */
  public boolean held(long id) {
    return world.network().held(id);
  }

  /** Byzantine replicas and their strategies. */
  public java.util.Map<String, String> byzantine() {
    return world.network().byzantine();
  }

  /** The partition's groups; empty if the network is whole. */
  public List<List<String>> partition() {
    return world.network().partition();
  }

  /** The narration so far, one sentence per state change, with the step it belongs to. */
  public List<String> narration() {
    return world.narration().stream().map(n -> n.step() + ": " + n.text()).toList();
  }

  /** The narration of step {@code k} only. */
  public List<String> narrationOf(int k) {
    return world.narration().stream().filter(n -> n.step() == k).map(StepWorld.Narration::text)
        .toList();
  }

  /** The trace so far as NDJSON (byte-identical for the same seed and choices). */
  public byte[] traceNdjson() {
    return world.trace().toNdjson();
  }

  public org.bftlab.trace.Trace trace() {
    return world.trace();
  }

  /** Delivered and dropped messages, in order: the arrows of the Lamport diagram. */
  public List<Arrow> arrows() {
    return world.arrows();
  }

  /** Phase changes, view changes, checkpoints, crashes: the marks on the lanes. */
  public List<Mark> marks() {
    return world.marks();
  }

  /** The narration with its steps. */
  public List<StepWorld.Narration> narrationWithSteps() {
    return world.narration();
  }

  /** Whether the message in flight carries a valid signature of its sender. */
  public boolean signatureValid(InFlight m) {
    return world.signatureValid(m);
  }

  public long now() {
    return world.now();
  }

  public List<String> completedRequests() {
    return world.completed();
  }

  public int f() {
    return world.quorums().f();
  }

  // ---- schedule files --------------------------------------------------------------------------

  /** Writes {@link #scheduleText()} to {@code file}. */
  public void save(Path file) throws IOException {
    Files.writeString(file, scheduleText(), StandardCharsets.UTF_8);
  }

  /** The schedule: the config and the choices up to the current position, one per line. */
  public String scheduleText() {
    StringBuilder b = new StringBuilder(SCHEDULE_HEADER).append('\n');
    b.append("name ").append(cfg.name()).append("\nn ").append(cfg.n()).append("\nseed ")
        .append(cfg.seed()).append("\nrequests ").append(cfg.requests()).append("\nscheme ")
        .append(cfg.scheme()).append('\n');
    cfg.faults().forEach(f -> b.append("fault ").append(f).append('\n'));
    schedule().forEach(c -> b.append(c).append('\n'));
    return b.toString();
  }

  /**
   * Reads a schedule written by {@link #save} and replays it to its last step.
   *
   * @throws IllegalArgumentException naming the line, for a file that is not a schedule or a
   *     choice that cannot be applied
   */
  public static Stepper load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).equals(SCHEDULE_HEADER)) {
      throw new IllegalArgumentException(file + " is not a stepper schedule (first line must be '"
          + SCHEDULE_HEADER + "')");
    }
    String name = "loaded";
    int n = 4;
    long seed = 1;
    int requests = 1;
    SimKeys.Scheme scheme = SimKeys.Scheme.MAC;
    List<Choice> choices = new ArrayList<>();
    List<StepConfig.Fault> faults = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] p = line.split("\\s+", 2);
      try {
        switch (p[0]) {
          case "name" -> name = p[1];
          case "n" -> n = Integer.parseInt(p[1]);
          case "seed" -> seed = Long.parseLong(p[1]);
          case "requests" -> requests = Integer.parseInt(p[1]);
          case "scheme" -> scheme = SimKeys.Scheme.valueOf(p[1]);
          case "fault" -> {
            String[] t = p[1].split("\\s+", 2);
            faults.add(new StepConfig.Fault(Long.parseLong(t[0]), Choice.parse(t[1])));
          }
          default -> choices.add(Choice.parse(line));
        }
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    Stepper s = new Stepper(new StepConfig(name, n, seed, requests, scheme, List.of(), faults));
    for (int i = 0; i < choices.size(); i++) {
      try {
        s.apply(choices.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": choice " + (i + 1) + " '" + choices.get(i)
            + "' cannot be replayed: " + e.getMessage(), e);
      }
    }
    return s;
  }
}
