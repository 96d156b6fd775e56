package org.bftlab.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A guided tour: a fresh normal-case run (n = 4) walked through in stops, each a phase of the
 * protocol with the paper's words. {@link #next} moves to the next stop by applying its actions
 * (ordinary choices, so the timeline shows them); {@link #back} returns to the previous stop
 * (deterministic replay). Tours: {@code normal} (OSDI'99 Figure 1: request, pre-prepare, prepare,
 * commit, reply) and {@code view-change} (§4.4: the primary crashes, the backups' timers expire,
 * VIEW-CHANGE, NEW-VIEW, the new view commits).
 */
public final class Tour {
  /** Tour names. */
  public static final List<String> NAMES = List.of("normal", "view-change");
  /** Most messages one stop delivers. */
  private static final int MAX_DELIVERIES = 200;

  /**
   * One stop.
   *
   * @param title a short title, e.g. {@code "2. PREPARE"}
   * @param words what happens, in the paper's words, with the section
   * @param actions what reaching the stop does: a choice ({@code crash node-0}), {@code all
   *     TYPE} (deliver every message of that type in flight, and those the deliveries send, oldest
   *     first), {@code timers} (fire every running backup's timer) or {@code committed n}
   */
  public record Stop(String title, String words, List<String> actions) {}

  private final String name;
  private final List<Stop> stops;
  private final List<Integer> positions = new ArrayList<>();

  private Tour(String name, List<Stop> stops) {
    this.name = name;
    this.stops = stops;
  }

  /**
   * The tour {@code name} on {@code stepper} (a fresh normal-case run), at its first stop.
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Tour start(String name, Stepper stepper) {
    Tour t = switch (name) {
      case "normal" -> new Tour(name, normal());
      case "view-change" -> new Tour(name, viewChange());
      default -> throw new IllegalArgumentException("unknown tour '" + name + "': expected "
          + String.join(" or ", NAMES));
    };
    t.positions.add(stepper.position());
    t.run(t.stops.get(0), stepper);
    return t;
  }

  public String name() {
    return name;
  }

  /** The current stop's index, 0-based. */
  public int index() {
    return positions.size() - 1;
  }

  public int size() {
    return stops.size();
  }

  public Stop current() {
    return stops.get(index());
  }

  /** Moves to the next stop; empty if this is the last one. */
  public Optional<Stop> next(Stepper stepper) {
    if (index() + 1 >= stops.size()) {
      return Optional.empty();
    }
    positions.add(stepper.position());
    run(stops.get(index()), stepper);
    return Optional.of(current());
  }

  /** Back to the previous stop (replayed from the seed); empty at the first stop. */
  public Optional<Stop> back(Stepper stepper) {
    if (index() == 0) {
      return Optional.empty();
    }
    stepper.seek(positions.remove(positions.size() - 1));
    return Optional.of(current());
  }

  private static void run(Stop stop, Stepper s) {
    for (String a : stop.actions()) {
      String[] p = a.split(" ", 2);
      switch (p[0]) {
        case "all" -> {
          for (int i = 0; i < MAX_DELIVERIES; i++) {
            Optional<InFlight> m = s.inFlight().stream().filter(x -> x.type().equals(p[1]))
                .findFirst();
            if (m.isEmpty()) {
              break;
            }
            s.apply(new Choice("deliver", Long.toString(m.get().id())));
          }
        }
        case "timers" -> s.replicas().stream()
            .filter(r -> r.up() && r.timer().startsWith("running"))
            .forEach(r -> s.apply(new Choice("timer", r.node())));
        case "committed" -> s.runUntilCommitted(Long.parseLong(p[1]));
        default -> s.apply(Choice.parse(a));
      }
    }
  }

  private static List<Stop> normal() {
    return List.of(
        new Stop("0. REQUEST", "The client c requests the execution of operation o by sending"
            + " ⟨REQUEST, o, t, c⟩ to the replica it believes is the primary — OSDI'99 §4.1",
            List.of()),
        new Stop("1. PRE-PREPARE", "The primary receives the request, assigns it sequence"
            + " number n and multicasts ⟨⟨PRE-PREPARE, v, n, d⟩, m⟩ to the backups — §4.2",
            List.of("all REQUEST")),
        new Stop("2. PREPARE", "A backup accepts the pre-prepare (right view, signature, n"
            + " between h and H, no other digest for v and n) and multicasts ⟨PREPARE, v, n, d,"
            + " i⟩ — §4.2", List.of("all PRE-PREPARE")),
        new Stop("3. COMMIT", "prepared(m, v, n, i): the pre-prepare and 2f matching prepares"
            + " from different backups; the replica multicasts ⟨COMMIT, v, n, D(m), i⟩ — §4.2",
            List.of("all PREPARE")),
        new Stop("4. REPLY", "committed-local(m, v, n, i): prepared and 2f+1 matching commits;"
            + " the replica executes the operation and sends ⟨REPLY, v, t, c, i, r⟩ — §4.2",
            List.of("all COMMIT")),
        new Stop("5. done", "The client waits for f+1 replies with the same t and r: at least"
            + " one comes from a correct replica, so r is the result — §4.1",
            List.of("all REPLY")));
  }

  private static List<Stop> viewChange() {
    return List.of(
        new Stop("0. primary crashes", "The primary node-0 crashes before it orders the"
            + " request; view changes provide liveness when the primary fails — OSDI'99 §4.4",
            List.of("crash node-0")),
        new Stop("1. client retries", "The client times out and multicasts the request to all"
            + " replicas; a backup that holds a request it cannot execute starts its timer —"
            + " §4.1, §4.4", List.of("request retry", "all REQUEST")),
        new Stop("2. VIEW-CHANGE", "The timer of backup i expires in view v: it stops accepting"
            + " messages of v and multicasts ⟨VIEW-CHANGE, v+1, n, C, P, i⟩ — §4.4",
            List.of("timers")),
        new Stop("3. NEW-VIEW", "The primary p of view v+1 holds 2f valid VIEW-CHANGEs from"
            + " other replicas and multicasts ⟨NEW-VIEW, v+1, V, O⟩ — §4.4",
            List.of("all VIEW-CHANGE")),
        new Stop("4. new view", "A backup accepts the NEW-VIEW if it is signed and V and O are"
            + " right, enters view v+1 and processes the pre-prepares in O — §4.4",
            List.of("all NEW-VIEW")),
        new Stop("5. committed in view 1", "The normal case resumes under the new primary:"
            + " prepare, commit, reply — §4.2", List.of("committed 1")));
  }
}
