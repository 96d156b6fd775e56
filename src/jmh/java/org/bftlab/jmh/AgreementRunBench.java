package org.bftlab.jmh;

import java.util.concurrent.TimeUnit;
import org.bftlab.sim.SimKeys;
import org.bftlab.sim.Simulation;
import org.bftlab.sim.SimulationResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole protocol without Pekko, HTTP or disk: n replicas' real cores in the deterministic
 * simulator (PRE-PREPARE, PREPARE, COMMIT, checkpoints, block execution, replies) for 200
 * transactions, reported per transaction — the CPU floor of the core on one thread.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class AgreementRunBench {
  private static final int TRANSACTIONS = 200;

  @Param({"4", "7"})
  public int nodes;

  @Param({"ED25519", "MAC"})
  public SimKeys.Scheme scheme;

  private long seed;

  @Benchmark
  @OperationsPerInvocation(TRANSACTIONS)
  public SimulationResult normalCase() {
    return Simulation.nodes(nodes).seed(++seed).transactions(TRANSACTIONS).scheme(scheme).run();
  }
}
