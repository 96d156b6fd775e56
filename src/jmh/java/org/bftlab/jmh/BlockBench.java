package org.bftlab.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bftlab.core.ledger.BlockBuilder;
import org.bftlab.core.ledger.Contracts;
import org.bftlab.core.ledger.WorldState;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.model.ProtocolParams;
import org.bftlab.core.msg.Request;
import org.bftlab.sim.SimKeys;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One block's execution: validate every transaction of a 64-transaction batch (client signature,
 * duplicate check, contract), stage its writes, and build the header (Merkle root, results
 * digest). Reported per transaction.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class BlockBench {
  private static final int BATCH = 64;

  @Param({"ED25519", "MAC"})
  public SimKeys.Scheme scheme;

  private BlockBuilder builder;
  private List<Request> batch;
  private WorldState state;

  @Setup
  public void setUp() {
    List<ClientId> clients = List.of(new ClientId("client-0"));
    SimKeys keys = new SimKeys(1, 4, clients, scheme);
    ProtocolParams params = new ProtocolParams("bench", NodeId.range(4), BATCH, 2, 16, 32, 50,
        64 * 1024);
    builder = new BlockBuilder(params, keys.replica(new NodeId(0)), Contracts.builtin());
    batch = new ArrayList<>();
    for (int i = 0; i < BATCH; i++) {
      batch.add(Request.sign("bench", clients.get(0), 1000L + i, "kv", "put",
          List.of("k" + i, "v" + i), keys.clientSigner(clients.get(0))));
    }
    state = new WorldState();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public BlockBuilder.Built executeBlock() {
    return builder.build(1, Digest.ZERO, batch, state, id -> false);
  }
}
