package org.bftlab.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.tools.attach.VirtualMachine;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.bftlab.api.NodeStatus;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.CommittedTx;
import org.bftlab.core.msg.Request;
import org.bftlab.crypto.GenesisNode;
import org.bftlab.it.support.ProcessCluster;
import org.bftlab.node.BftlabNode;
import org.bftlab.node.NodeExit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, multi-process: a replica that stops without a shutdown request exits non-zero with
 * the reason at ERROR, so that a supervisor restarts it, and the restarted process — a new
 * incarnation at the same address — joins again. The stop is a Pekko Cluster {@code Down} of
 * node-2 issued through Pekko's own cluster MBean on node-1 (the way an operator's JMX console
 * or a stray script would; no downing provider does it any more). A SIGTERM, by contrast, is a
 * requested shutdown.
 */
class DownedReplicaIT {
  private static final int VICTIM = 2;

  private ProcessCluster cluster;

  @AfterEach
  void cleanUp() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aDownedReplicaExitsNonZeroWithTheReasonAtErrorAndItsRestartRejoins() throws Exception {
    cluster = ProcessCluster.builder("downed").build();
    ProcessCluster c = cluster;
    c.startAll();
    c.awaitUp(c.all());
    BftlabClient client = c.client(0);
    CommittedTx first = client.submitAndAwait(mint(client), Duration.ofSeconds(30))
        .get(40, TimeUnit.SECONDS);
    c.awaitIdenticalHeads(c.all(), first.blockHeight());

    GenesisNode victim = c.genesis().nodes().get(VICTIM);
    String address = "pekko://" + BftlabNode.SYSTEM_NAME + "@" + victim.host() + ":"
        + victim.pekkoPort();
    downThroughJmx(c.pid(1), address);
    c.log("Down %s issued through node-1's cluster MBean", address);
    int code = c.awaitExit(VICTIM, Duration.ofSeconds(60));
    c.log("node-%d exited with %d", VICTIM, code);
    assertThat(code).as("exit code of a replica downed in the Pekko cluster")
        .isEqualTo(NodeExit.STOPPED_ON_ITS_OWN);
    String log = Files.readString(c.logFile(VICTIM));
    assertThat(log).as("node-%d's log says why at ERROR", VICTIM)
        .containsPattern("ERROR .*node-" + VICTIM + " stopped without a shutdown request.*downed");

    c.start(VICTIM);
    c.awaitUp(List.of(VICTIM));
    CommittedTx second = client.submitAndAwait(mint(client), Duration.ofSeconds(30))
        .get(40, TimeUnit.SECONDS);
    List<NodeStatus> heads = c.awaitIdenticalHeads(c.all(), second.blockHeight());
    c.log("node-%d restarted and rejoined: %s", VICTIM, ProcessCluster.describe(heads));
    c.checkTransactions(List.of(first, second), c.all());

    int term = c.terminate(VICTIM, Duration.ofSeconds(60));
    assertThat(term).as("exit code after SIGTERM (a requested shutdown: 128 + 15 or 0)")
        .isIn(0, 143);
    assertThat(Files.readString(c.logFile(VICTIM)).substring(log.length()))
        .as("no ERROR line for a requested shutdown").doesNotContain("stopped without a shutdown");
  }

  /** Invokes {@code down(address)} on the Pekko cluster MBean of the JVM with this pid. */
  private static void downThroughJmx(long pid, String address) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      String url = vm.startLocalManagementAgent();
      try (JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(url))) {
        MBeanServerConnection m = jmx.getMBeanServerConnection();
        Set<ObjectName> names = m.queryNames(new ObjectName("pekko:type=Cluster,*"), null);
        assertThat(names).as("Pekko cluster MBeans in pid %d", pid).hasSize(1);
        ObjectName cluster = names.iterator().next();
        // PBFT commits before the Pekko cluster has formed (peers are addressed by their genesis
        // address until the receptionist lists them), and Pekko ignores a Down of an address that
        // is not yet a member of the downing node's view: wait until node-1 is Up and lists it
        String[] seen = {""};
        ProcessCluster.poll("node-1's Pekko cluster view: Up, with member " + address,
            Duration.ofSeconds(60), () -> {
              try {
                String status = String.valueOf(m.getAttribute(cluster, "MemberStatus"));
                String members = String.valueOf(m.getAttribute(cluster, "Members"));
                seen[0] = status + " " + members;
                return "Up".equals(status) && List.of(members.split(",")).contains(address)
                    ? java.util.Optional.of(true) : java.util.Optional.empty();
              } catch (Exception e) {
                throw new AssertionError("reading node-1's cluster MBean", e);
              }
            }, () -> seen[0]);
        m.invoke(cluster, "down", new Object[] {address}, new String[] {String.class.getName()});
      }
    } finally {
      vm.detach();
    }
  }

  private static Request mint(BftlabClient client) {
    return client.newRequest("token", "mint", client.clientId().value(), "1");
  }
}
