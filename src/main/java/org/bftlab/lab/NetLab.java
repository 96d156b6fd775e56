package org.bftlab.lab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A small virtual network for multi-process runs that cut real TCP connections ({@code bftlab
 * lab --netns}, NetworkPartitionIT): one Linux
 * network namespace per node, each with one veth into a bridge that lives in a "hub" namespace,
 * and one veth from the hub to the test's own (root) namespace so the test reaches every node's
 * HTTP port directly. Node {@code i} has address {@link #nodeAddress(int)} on a fresh
 * {@code 10.a.b.0/24}; a partition is a pair of nftables tables in every node's namespace that
 * drop what goes to and comes from the other side, so TCP sees a silent network (no RST), as with
 * a pulled cable. Needs root, {@code ip} (iproute2) and {@code nft} (nftables):
 * {@link #unavailableBecause()} says why not, for a JUnit assumption.
 *
 * <p>{@link #close()} deletes every namespace and link it created (processes started with
 * {@link #execPrefix(int)} must be killed by the caller first).
 */
public final class NetLab implements AutoCloseable {
  private static final String PARTITION_TABLE = "bftlab_partition";
  private static final long COMMAND_TIMEOUT_S = 20;

  private final String tag;
  private final int nodes;
  private final String subnet;
  private final List<String> created = new ArrayList<>();
  private final String testLink;

  private NetLab(int nodes) {
    SecureRandom r = new SecureRandom();
    this.tag = "bl" + Integer.toHexString(0x1000 + r.nextInt(0xefff));
    this.nodes = nodes;
    this.subnet = "10." + (200 + r.nextInt(50)) + "." + (1 + r.nextInt(250));
    this.testLink = tag + "t";
  }

  /**
   * Why a NetLab cannot be built on this machine, or empty when it can: the probe creates and
   * deletes one namespace with one nftables table in it.
   */
  public static Optional<String> unavailableBecause() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return Optional.of("network namespaces need root (running as "
          + System.getProperty("user.name") + ")");
    }
    String probe = "blprobe" + ProcessHandle.current().pid();
    try {
      sh("ip", "netns", "add", probe);
      try {
        sh("ip", "netns", "exec", probe, "nft", "add", "table", "inet", "probe");
      } finally {
        sh("ip", "netns", "del", probe);
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of("ip netns / nftables not usable here (install iproute2 and nftables, run"
          + " as root): " + e.getMessage());
    }
  }

  /** Builds the network for {@code nodes} nodes. */
  public static NetLab create(int nodes) throws IOException {
    NetLab lab = new NetLab(nodes);
    try {
      lab.build();
    } catch (IOException | RuntimeException e) {
      lab.close();
      throw e;
    }
    return lab;
  }

  private void build() throws IOException {
    String hub = hub();
    addNetns(hub);
    sh("ip", "-n", hub, "link", "add", "br0", "type", "bridge");
    sh("ip", "-n", hub, "link", "set", "br0", "up");
    for (int i = 0; i < nodes; i++) {
      String ns = namespace(i);
      addNetns(ns);
      sh("ip", "link", "add", "eth0", "netns", ns, "type", "veth", "peer", "name", "p" + i,
          "netns", hub);
      sh("ip", "-n", ns, "addr", "add", nodeAddress(i) + "/24", "dev", "eth0");
      sh("ip", "-n", ns, "link", "set", "eth0", "up");
      sh("ip", "-n", hub, "link", "set", "p" + i, "master", "br0");
      sh("ip", "-n", hub, "link", "set", "p" + i, "up");
    }
    sh("ip", "link", "add", testLink, "type", "veth", "peer", "name", "pt", "netns", hub);
    created.add("link:" + testLink);
    sh("ip", "addr", "add", subnet + ".254/24", "dev", testLink);
    sh("ip", "link", "set", testLink, "up");
    sh("ip", "-n", hub, "link", "set", "pt", "master", "br0");
    sh("ip", "-n", hub, "link", "set", "pt", "up");
  }

  private void addNetns(String ns) throws IOException {
    sh("ip", "netns", "add", ns);
    created.add("netns:" + ns);
    sh("ip", "-n", ns, "link", "set", "lo", "up");
  }

  private String hub() {
    return tag + "-hub";
  }

  /** Name of node {@code i}'s network namespace. */
  public String namespace(int i) {
    return tag + "-n" + i;
  }

  /** Node {@code i}'s IPv4 address, reachable from the test process. */
  public String nodeAddress(int i) {
    return subnet + "." + (10 + i);
  }

  /** Command prefix that runs a program in node {@code i}'s namespace. */
  public List<String> execPrefix(int i) {
    return List.of("ip", "netns", "exec", namespace(i));
  }

  /**
   * Cuts every packet between the two sides in both directions (nftables drop, no RST) until
   * {@link #heal()}. Nodes not listed on either side keep talking to both.
   */
  public void partition(List<Integer> sideA, List<Integer> sideB) throws IOException {
    for (int i : sideA) {
      drop(i, sideB);
    }
    for (int i : sideB) {
      drop(i, sideA);
    }
  }

  /**
   * A scenario's partition: every node is cut (as {@link #partition(List, List)}) from every
   * node outside its group; a node in no group is alone.
   *
   * @param groups node indices, each group a side
   */
  public void partition(List<List<Integer>> groups) throws IOException {
    for (int i = 0; i < nodes; i++) {
      int node = i;
      List<Integer> mine = groups.stream().filter(g -> g.contains(node)).findFirst()
          .orElse(List.of(node));
      List<Integer> others = IntStream.range(0, nodes).filter(j -> !mine.contains(j)).boxed()
          .toList();
      if (!others.isEmpty()) {
        drop(i, others);
      }
    }
  }

  private void drop(int node, List<Integer> others) throws IOException {
    String set = others.stream().map(this::nodeAddress).collect(Collectors.joining(", "));
    String rules = "table inet " + PARTITION_TABLE + " {\n"
        + "  chain out { type filter hook output priority 0; policy accept; ip daddr { " + set
        + " } drop; }\n"
        + "  chain in { type filter hook input priority 0; policy accept; ip saddr { " + set
        + " } drop; }\n"
        + "}\n";
    run(List.of("ip", "netns", "exec", namespace(node), "nft", "-f", "-"), rules);
  }

  /** Removes every partition rule. */
  public void heal() throws IOException {
    for (int i : IntStream.range(0, nodes).boxed().toList()) {
      String out = sh("ip", "netns", "exec", namespace(i), "nft", "list", "tables");
      if (out.contains(PARTITION_TABLE)) {
        sh("ip", "netns", "exec", namespace(i), "nft", "delete", "table", "inet", PARTITION_TABLE);
      }
    }
  }

  /** Deletes every namespace and link this lab created; best effort, never throws. */
  @Override
  public void close() {
    for (int k = created.size() - 1; k >= 0; k--) {
      String c = created.get(k);
      try {
        if (c.startsWith("netns:")) {
          sh("ip", "netns", "del", c.substring(6));
        } else if (c.startsWith("link:")) {
          // gone already when the hub namespace holding its peer was deleted
          run(List.of("sh", "-c", "ip link show " + c.substring(5) + " >/dev/null 2>&1 && ip"
              + " link del " + c.substring(5) + " || true"), "");
        }
      } catch (IOException | RuntimeException e) {
        System.err.println("NetLab cleanup of " + c + " failed: " + e.getMessage());
      }
    }
    created.clear();
  }

  private static String sh(String... cmd) throws IOException {
    return run(List.of(cmd), null);
  }

  private static String run(List<String> cmd, String stdin) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    if (stdin == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new IOException(String.join(" ", cmd) + ": " + e.getMessage(), e);
    }
    try {
      if (stdin != null) {
        try (var in = p.getOutputStream()) {
          in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + ": no answer in " + COMMAND_TIMEOUT_S + " s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed (" + p.exitValue() + "): "
            + out.strip());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + ": interrupted", e);
    }
  }
}
