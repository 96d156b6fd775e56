package org.bftlab.node;

import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * How a {@code bftlab node} process ends once its ActorSystem has terminated: the exit code and
 * the reason to log. Only a requested shutdown (SIGTERM, Ctrl-C, the operator's stop) ends with
 * {@link #REQUESTED}; any other end — a component stopped for good, this replica downed or
 * removed from the Pekko cluster, quarantined by a peer, the actor system terminated by Pekko
 * itself — ends with {@link #STOPPED_ON_ITS_OWN} and its reason at ERROR, so that a supervisor
 * (systemd, Kubernetes) restarts the replica. Pekko Cluster is transport, never authority
 * (DESIGN.md, "Storage and deployment"): a replica that leaves it unasked is a failure.
 *
 * @param code the process exit code
 * @param reason why the node ended, one line
 */
public record NodeExit(int code, String reason) {
  /** Exit code of a requested shutdown. */
  public static final int REQUESTED = 0;
  /** Exit code of a node that could not start (bad genesis, key, journal; port in use). */
  public static final int START_FAILED = 1;
  /**
   * Exit code of a configuration that cannot be read, or of a private key file that others than
   * its owner may read ({@code org.bftlab.crypto.KeyPermissions}).
   */
  public static final int BAD_CONFIGURATION = 2;
  /** Exit code of a node whose ActorSystem ended without a requested shutdown. */
  public static final int STOPPED_ON_ITS_OWN = 3;

  /** True when this is the end of a requested shutdown. */
  public boolean requested() {
    return code == REQUESTED;
  }

  /**
   * Decides how a node ends.
   *
   * @param stopRequested true when the process was asked to stop (its shutdown hook ran)
   * @param failure the reason a component or the node's guard stopped the node, when one did
   * @param shutdownReason the reason CoordinatedShutdown ran with, when it ran
   * @return the exit code and the reason
   */
  public static NodeExit decide(boolean stopRequested, Optional<String> failure,
      Optional<CoordinatedShutdown.Reason> shutdownReason) {
    if (failure.isPresent()) {
      return new NodeExit(STOPPED_ON_ITS_OWN, failure.get());
    }
    Optional<CoordinatedShutdown.Reason> r = shutdownReason;
    if (stopRequested || r.filter(CoordinatedShutdown.jvmExitReason()::equals).isPresent()) {
      return new NodeExit(REQUESTED, "shutdown requested");
    }
    if (r.isEmpty()) {
      return new NodeExit(STOPPED_ON_ITS_OWN,
          "the actor system terminated without a shutdown request (see the errors above)");
    }
    CoordinatedShutdown.Reason reason = r.get();
    String why;
    if (reason.equals(CoordinatedShutdown.clusterDowningReason())) {
      why = "this replica was downed in the Pekko cluster (a manual Down, or a new incarnation"
          + " of this address joined); a restart joins it again";
    } else if (reason.equals(CoordinatedShutdown.clusterLeavingReason())) {
      why = "this replica was made to leave the Pekko cluster; a restart joins it again";
    } else if (reason.equals(CoordinatedShutdown.clusterJoinUnsuccessfulReason())) {
      why = "this replica could not join the Pekko cluster's seed nodes";
    } else if (reason.equals(CoordinatedShutdown.incompatibleConfigurationDetectedReason())) {
      why = "the Pekko cluster refused this replica's configuration as incompatible";
    } else {
      why = "the actor system terminated without a shutdown request (" + reason
          + "; see the errors above)";
    }
    return new NodeExit(STOPPED_ON_ITS_OWN, why);
  }
}
