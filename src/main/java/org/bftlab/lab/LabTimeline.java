package org.bftlab.lab;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bftlab.codec.Json;
import org.bftlab.core.model.NodeId;
import org.bftlab.sim.scenario.ProcessFaultSpec;
import org.bftlab.sim.scenario.Scenario;
import org.bftlab.trace.TraceEvent.Kind;
import org.bftlab.transport.fault.NetworkRuleSpec;

/**
 * A scenario's fault timeline applied to live node processes: tick t happens at wall-clock
 * {@code t0 + t × tickMillis}. Process faults run in tick order on one thread; each is recorded
 * in the {@link LabTrace}; what happened differently from the simulator goes to {@code notes}.
 * Network rules go to every node's admin API ({@code PUT /admin/faults}, applied by the nodes'
 * transport in node ticks), except, when the nodes run in network namespaces ({@link NetLab}),
 * partitions of every message type: those are nftables drop rules between the namespaces, put
 * at their {@code from} tick and removed at their {@code until} by the lab (TCP sees a silent
 * network, as with a pulled cable).
 */
final class LabTimeline {
  private final Scenario scenario;
  private final long tickMillis;
  private final ClusterLayout layout;
  private final NodeProcesses nodes;
  private final java.util.function.IntFunction<String[]> nodeArgs;
  private final LabAdmin admin;
  private final LabTrace trace;
  private final ScheduledExecutorService timer;
  private final List<String> notes;
  private final PrintStream progress;
  private final Set<Integer> amnesiaPending = new HashSet<>();
  private final JsonNode rules;
  /** Partitions done by nftables in the nodes' network namespaces (empty without {@code net}). */
  private final List<NetworkRuleSpec.Partition> osPartitions;
  private final NetLab net;
  private long t0;

  LabTimeline(Scenario scenario, long tickMillis, ClusterLayout layout, NodeProcesses nodes,
      java.util.function.IntFunction<String[]> nodeArgs, LabAdmin admin, LabTrace trace,
      ScheduledExecutorService timer, List<String> notes, PrintStream progress, NetLab net) {
    this.scenario = scenario;
    this.tickMillis = tickMillis;
    this.layout = layout;
    this.nodes = nodes;
    this.nodeArgs = nodeArgs;
    this.admin = admin;
    this.trace = trace;
    this.timer = timer;
    this.notes = notes;
    this.progress = progress;
    this.net = net;
    List<NetworkRuleSpec> all = scenario.faultsOrNone().networkRules();
    this.osPartitions = net == null ? List.of() : all.stream()
        .filter(r -> r instanceof NetworkRuleSpec.Partition p && p.types() == null)
        .map(r -> (NetworkRuleSpec.Partition) r).toList();
    this.rules = rulesJson(all.stream().filter(r -> !osPartitions.contains(r)).toList());
  }

  /** The rules as the admin API takes them: a JSON array, each with its {@code "rule"} name. */
  static JsonNode rulesJson(List<NetworkRuleSpec> rules) {
    try {
      return Json.mapper().readTree(Json.mapper()
          .writerFor(new TypeReference<List<NetworkRuleSpec>>() {}).writeValueAsString(rules));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the network rules: " + e.getMessage(), e);
    }
  }

  /** Tick 0 in epoch milliseconds (set by {@link #start()}). */
  long t0() {
    return t0;
  }

  /**
   * Puts the network rules on every node, sets tick 0 to now and schedules the process faults.
   *
   * @return the last tick at which anything happens or heals, in ms after t0
   */
  long start() throws IOException, InterruptedException {
    long last = 0;
    // tick 0 is when the last node took its rules (each node's windows count from its receipt)
    for (NodeId id : layout.genesis().nodeIds()) {
      if (!rules.isEmpty()) {
        admin.putRules(id, rules.toString());
      }
    }
    t0 = System.currentTimeMillis();
    if (!rules.isEmpty()) {
      for (JsonNode r : rules) {
        String name = r.path("rule").asText();
        trace.line(Kind.RULE, null, name, r.toString());
        if (r.has("until")) {
          long until = r.get("until").asLong();
          last = Math.max(last, until);
          at(until, () -> trace.line(Kind.HEAL, null, name, "the rule expired"));
        }
      }
    }
    for (NetworkRuleSpec.Partition p : osPartitions) {
      long from = p.from() == null ? 0 : p.from();
      List<List<Integer>> groups = p.groups().stream()
          .map(g -> g.stream().map(NodeId::index).toList()).toList();
      at(from, () -> osPartition(groups, p));
      if (p.until() != null) {
        last = Math.max(last, p.until());
        at(p.until(), this::osHeal);
      }
    }
    List<ProcessFaultSpec> faults = scenario.faultsOrNone().processFaults().stream()
        .sorted(Comparator.comparingLong(ScenarioLab::at)).toList();
    for (ProcessFaultSpec p : faults) {
      long at = ScenarioLab.at(p);
      last = Math.max(last, p instanceof ProcessFaultSpec.Pause q ? q.until() : at);
      at(at, () -> apply(p));
    }
    return last * tickMillis;
  }

  private void at(long tick, Runnable r) {
    long delay = t0 + tick * tickMillis - System.currentTimeMillis();
    timer.schedule(() -> {
      try {
        r.run();
      } catch (RuntimeException e) {
        notes.add("tick " + tick + ": " + e.getMessage());
        progress.println("lab: tick " + tick + ": " + e.getMessage());
      }
    }, Math.max(0, delay), TimeUnit.MILLISECONDS);
  }

  private void apply(ProcessFaultSpec p) {
    int i = p.node().index();
    String node = p.node().toString();
    long tick = ScenarioLab.at(p);
    progress.printf("lab: tick %d (+%d ms): %s%n", tick, System.currentTimeMillis() - t0, p);
    try {
      if (p instanceof ProcessFaultSpec.Crash) {
        if (!nodes.isRunning(i)) {
          notes.add("tick " + tick + ": crash of " + node + ", which is not running: nothing");
          return;
        }
        nodes.kill9(i);
        trace.line(Kind.CRASH, node, null, "kill -9 pid " + nodes.pid(i));
      } else if (p instanceof ProcessFaultSpec.Restart) {
        if (nodes.isRunning(i)) {
          notes.add("tick " + tick + ": restart of " + node + ", which is running: nothing");
          return;
        }
        if (amnesiaPending.remove(i)) {
          wipe(layout.dataDir(i));
        }
        nodes.start(i, nodeArgs.apply(i));
        long at = System.currentTimeMillis();
        CompletableFuture.runAsync(() -> reapplyRules(i, at));
      } else if (p instanceof ProcessFaultSpec.Pause q) {
        if (!nodes.isRunning(i)) {
          notes.add("tick " + tick + ": pause of " + node + ", which is not running: nothing");
          return;
        }
        nodes.signal(i, "STOP");
        trace.line(Kind.PAUSE, node, null, "SIGSTOP until tick " + q.until());
        long pid = nodes.pid(i);
        at(q.until(), () -> {
          try {
            if (nodes.isRunning(i) && nodes.pid(i) == pid) {
              nodes.signal(i, "CONT");
              trace.line(Kind.RESUME, node, null, "SIGCONT");
            }
          } catch (IOException e) {
            throw new IllegalStateException("SIGCONT of " + node + " failed: " + e.getMessage());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      } else if (p instanceof ProcessFaultSpec.Amnesia) {
        amnesiaPending.add(i);
        trace.line(Kind.AMNESIA, node, null, "data directory deleted before its next start");
      } else {
        throw new IllegalStateException(p + " cannot be applied live");
      }
    } catch (IOException e) {
      throw new IllegalStateException(p + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A partition as nftables drop rules in the nodes' namespaces ({@link NetLab#partition(List)}). */
  private void osPartition(List<List<Integer>> groups, NetworkRuleSpec.Partition p) {
    try {
      net.partition(groups);
      trace.line(Kind.RULE, null, "partition", "nftables drop rules between the network "
          + "namespaces of " + groups);
      progress.printf("lab: +%d ms: partition %s (nftables)%n", System.currentTimeMillis() - t0,
          groups);
    } catch (IOException e) {
      throw new IllegalStateException("the OS-level partition " + p + " failed: "
          + e.getMessage());
    }
  }

  private void osHeal() {
    try {
      net.heal();
      trace.line(Kind.HEAL, null, "partition", "nftables drop rules removed");
      progress.printf("lab: +%d ms: partition healed (nftables)%n",
          System.currentTimeMillis() - t0);
    } catch (IOException e) {
      throw new IllegalStateException("healing the OS-level partition failed: " + e.getMessage());
    }
  }

  /** A restarted node lost its rules: once it answers, put what is left of them back. */
  private void reapplyRules(int i, long restartedAt) {
    if (rules.isEmpty()) {
      return;
    }
    long end = restartedAt + 120_000;
    try {
      while (!admin.answers200(layout.url(i).resolve("/health"))) {
        if (System.currentTimeMillis() > end || !nodes.isRunning(i)) {
          notes.add("node-" + i + " did not answer after its restart: its network rules were "
              + "not put back");
          return;
        }
        Thread.sleep(100);
      }
      long elapsed = (System.currentTimeMillis() - t0) / tickMillis;
      admin.putRules(layout.genesis().nodeIds().get(i), ScenarioLab.shifted(rules, elapsed));
    } catch (IOException e) {
      notes.add("node-" + i + ": network rules not put back after its restart: "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Amnesia: everything in {@code dataDir} but its {@code trace} directory. */
  private static void wipe(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dataDir)) {
      for (Path p : s.filter(p -> !p.getFileName().toString().equals("trace")).toList()) {
        LabFiles.deleteTree(p);
      }
    }
  }
}
