package org.bftlab.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * The {@code bftlab node} processes of one {@link ClusterLayout}: each started from a jar as its
 * own JVM, output appended to {@code logDir/<prefix>-node-<i>.log}, controlled by pid (SIGKILL,
 * SIGTERM, SIGSTOP, SIGCONT). {@link #close()} kills every process ever started here, and their
 * descendants.
 */
public final class NodeProcesses implements AutoCloseable {
  private final ClusterLayout layout;
  private final Path jar;
  private final Path logDir;
  private final String prefix;
  private final List<String> jvmArgs;
  private final IntFunction<List<String>> commandPrefix;
  private final IntFunction<Map<String, String>> environment;
  private final Process[] current;
  private final List<Process> everStarted = new ArrayList<>();

  /**
   * @param layout the cluster
   * @param jar the shaded bftlab jar to run
   * @param logDir where node logs go (created if missing)
   * @param prefix log file prefix
   * @param jvmArgs JVM options of every node
   * @param commandPrefix words before {@code java} (e.g. {@code ip netns exec NS}); may be empty
   */
  public NodeProcesses(ClusterLayout layout, Path jar, Path logDir, String prefix,
      List<String> jvmArgs, List<String> commandPrefix) throws IOException {
    this(layout, jar, logDir, prefix, jvmArgs, i -> commandPrefix, i -> Map.of());
  }

  /**
   * As above, with node-specific launch settings.
   *
   * @param commandPrefix node i's words before {@code java} (e.g. its network namespace)
   * @param environment node i's extra environment variables
   */
  public NodeProcesses(ClusterLayout layout, Path jar, Path logDir, String prefix,
      List<String> jvmArgs, IntFunction<List<String>> commandPrefix,
      IntFunction<Map<String, String>> environment) throws IOException {
    this.layout = Objects.requireNonNull(layout, "layout");
    this.jar = Objects.requireNonNull(jar, "jar");
    this.logDir = logDir;
    this.prefix = prefix;
    this.jvmArgs = List.copyOf(jvmArgs);
    this.commandPrefix = Objects.requireNonNull(commandPrefix, "commandPrefix");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.current = new Process[layout.n()];
    Files.createDirectories(logDir);
  }

  /** The jar this code runs from, when it runs from one. */
  public static Optional<Path> ownJar() {
    try {
      Path p = Path.of(NodeProcesses.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? Optional.of(p)
          : Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /** node-i's log file. */
  public Path logFile(int i) {
    return logDir.resolve(prefix + "-node-" + i + ".log");
  }

  /**
   * Starts node-i (on its data directory, so a restart recovers from its journal).
   *
   * @throws IllegalStateException when node-i is already running
   */
  public Process start(int i, String... extraArgs) throws IOException {
    if (isRunning(i)) {
      throw new IllegalStateException("node-" + i + " is already running, pid " + pid(i));
    }
    List<String> cmd = new ArrayList<>(commandPrefix.apply(i));
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmArgs.stream().map(a -> a.replace("{i}", Integer.toString(i))).toList());
    cmd.addAll(List.of("-jar", jar.toString(), "node", "--config",
        layout.configFile(i).toString()));
    cmd.addAll(List.of(extraArgs));
    Files.writeString(logFile(i), "---- start " + String.join(" ", cmd) + "\n",
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(i).toFile()));
    pb.environment().putAll(environment.apply(i));
    Process p = pb.start();
    current[i] = p;
    synchronized (everStarted) {
      everStarted.add(p);
    }
    return p;
  }

  /** node-i's current process, if started. */
  public Optional<Process> process(int i) {
    return Optional.ofNullable(current[i]);
  }

  /** The pid of node-i's current process. */
  public long pid(int i) {
    return process(i).orElseThrow(() -> new IllegalStateException("node-" + i + " not started"))
        .pid();
  }

  /** True while node-i's current process is alive (a stopped process is alive). */
  public boolean isRunning(int i) {
    return current[i] != null && current[i].isAlive();
  }

  /** SIGKILL node-i and its descendants; waits up to 30 s until it is gone. */
  public void kill9(int i) throws InterruptedException {
    Process p = current[i];
    if (p != null) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /**
   * SIGTERM node-i (a requested shutdown); its exit code.
   *
   * @throws IllegalStateException when it has not exited within {@code within}
   */
  public int terminate(int i, Duration within) throws InterruptedException {
    Process p = current[i];
    p.destroy();
    if (!p.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("node-" + i + " (pid " + p.pid()
          + ") did not exit within " + within + " of SIGTERM");
    }
    return p.exitValue();
  }

  /** Sends {@code kill -SIG} to node-i ({@code STOP}, {@code CONT}, …). */
  public void signal(int i, String sig) throws IOException, InterruptedException {
    long pid = pid(i);
    Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
        .redirectErrorStream(true).start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IOException("kill -" + sig + " " + pid + " failed: "
          + new String(k.getInputStream().readAllBytes()));
    }
  }

  /** Kills every process started here (SIGCONT first so stopped ones die too), with descendants. */
  @Override
  public void close() {
    List<Process> all;
    synchronized (everStarted) {
      all = List.copyOf(everStarted);
    }
    for (Process p : all) {
      if (p.isAlive()) {
        try {
          new ProcessBuilder("kill", "-CONT", Long.toString(p.pid())).start()
              .waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
          // SIGKILL below ends a stopped process too
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    }
    for (Process p : all) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
