package org.bftlab.core;

/**
 * Deliberate protocol and shell bugs that exist <b>only for negative controls</b>: tests plant
 * one to show that the checkers catch it. No configuration key, scenario file or system property
 * reads this type. It can be switched on only (a) by passing it to the constructor overloads
 * documented as test-only ({@code AgreementCore}, {@code ElectionCore}) or to the simulator's
 * package-private {@code Simulation.plantBug}, or (b) in a live node by the hidden {@code bftlab
 * node --planted-bug NAME}, which the node honours only when its environment also has {@code
 * BFTLAB_TEST_PLANTED_BUGS=1} (else it refuses to start, exit 2) and then logs at WARN
 * ({@code org.bftlab.cli.PlantedBugGate}); only a test's {@code ScenarioLab} run passes both.
 * Production code never passes one, and no generated configuration names one.
 */
public enum PlantedBug {
  /**
   * Agreement: <em>committed-local</em> with 2f matching COMMITs instead of 2f+1 (OSDI'99 §4.2).
   * A batch can then commit at one replica while prepared at too few replicas for a view change
   * to carry it.
   */
  COMMIT_QUORUM_2F,

  /**
   * Shell: outputs are performed before the events that record them are durable (the journal
   * write completes one tick later). A crash in between loses what was already sent, so a
   * restarted replica can sign a second, different message for the same (view, seqNo, phase).
   */
  SEND_BEFORE_PERSIST,

  /**
   * Election: the NEW-VIEW's O ignores the prepared certificates in V — every seqNo in
   * (min-s, max-s] gets a null request, also where a batch was prepared or committed
   * (OSDI'99 §4.4 requires the batch of the highest-view certificate). Primary and backups
   * compute the same wrong O, so the NEW-VIEW is accepted.
   */
  NEW_VIEW_DROPS_P
}
