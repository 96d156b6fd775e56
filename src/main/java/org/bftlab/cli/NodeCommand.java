package org.bftlab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.bftlab.config.ConfigLoader;
import org.bftlab.config.NodeSettings;
import org.bftlab.node.BftlabNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bftlab node --config FILE}: runs one node in this process until it is stopped. */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run one bftlab node (one replica) in this process.")
public final class NodeCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "Node configuration file (HOCON).")
  Path config;

  @Option(names = "--data-dir", description = "Override bftlab.data-dir.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    NodeSettings settings;
    var cfg = ConfigLoader.load(config);
    try {
      // on Kubernetes the node id comes from the pod's host name (bftlab-3 -> node-3)
      cfg = org.bftlab.node.k8s.DiscoverySettings.from(cfg).applyNodeId(cfg);
      settings = NodeSettings.from(cfg);
    } catch (IllegalArgumentException e) {
      System.err.println("bftlab node: " + e.getMessage());
      return 2;
    }
    if (dataDir != null) {
      settings = settings.withDataDir(dataDir);
    }
    BftlabNode.Running node;
    try {
      node = BftlabNode.start(settings, cfg);
    } catch (Exception e) {
      org.slf4j.LoggerFactory.getLogger(NodeCommand.class).error("cannot start: {}",
          e.getMessage());
      System.err.println("bftlab node: " + e.getMessage());
      return 1;
    }
    CountDownLatch done = new CountDownLatch(1);
    node.system().getWhenTerminated().thenRun(done::countDown);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.stop();
      try {
        done.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bftlab-shutdown"));
    System.out.println(settings.nodeId() + " running, HTTP port " + node.httpPort());
    done.await();
    String failure = node.components().failure().getNow(null);
    if (failure != null) {
      System.err.println("bftlab node: " + failure);
      return 1;
    }
    return 0;
  }
}
