package org.bftlab.codec;

import java.util.List;
import org.bftlab.core.msg.Block;
import org.bftlab.core.msg.BlockEntry;
import org.bftlab.core.msg.BlockHeader;
import org.bftlab.core.msg.ValidationCode;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.Digest;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;
import org.bftlab.core.msg.Checkpoint;
import org.bftlab.core.msg.Commit;
import org.bftlab.core.msg.FetchBatch;
import org.bftlab.core.msg.FetchedBatch;
import org.bftlab.core.msg.NewView;
import org.bftlab.core.msg.PrePrepare;
import org.bftlab.core.msg.PrePrepareHeader;
import org.bftlab.core.msg.Prepare;
import org.bftlab.core.msg.PreparedCertificate;
import org.bftlab.core.msg.ProtocolMessage;
import org.bftlab.core.msg.ReadEntry;
import org.bftlab.core.msg.Request;
import org.bftlab.core.msg.StateRequest;
import org.bftlab.core.msg.StateResponse;
import org.bftlab.core.msg.Status;
import org.bftlab.core.msg.ViewChange;

/** One valid, signed message of every protocol message type (for codec and fuzz tests). */
public final class SampleMessages {
  public static final String CLUSTER = "bftlab-fuzz";

  private SampleMessages() {}

  /** Signatures are SHA-256 of the payload, twice (64 bytes); everything verifies. */
  public static final Authenticator AUTH = new Authenticator() {
    @Override
    public byte[] sign(byte[] payload) {
      byte[] d = Digest.sha256(payload).bytes();
      byte[] sig = new byte[64];
      System.arraycopy(d, 0, sig, 0, 32);
      System.arraycopy(d, 0, sig, 32, 32);
      return sig;
    }

    @Override
    public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
      return java.util.Arrays.equals(sign(payload), signature);
    }

    @Override
    public boolean verifyClient(ClientId client, byte[] payload, byte[] signature) {
      return java.util.Arrays.equals(sign(payload), signature);
    }

    @Override
    public boolean knowsClient(ClientId client) {
      return true;
    }
  };

  public static Request request(long t) {
    return Request.sign(CLUSTER, new ClientId("client-0"), t, "token", "transfer",
        List.of("client-0", "client-1", "5"), AUTH::sign);
  }

  /** A request carrying a read set (one present key, one read as absent). */
  public static Request requestWithReads(long t) {
    return Request.sign(CLUSTER, new ClientId("client-0"), t, "token", "transfer",
        List.of("client-0", "client-1", "5"),
        List.of(new ReadEntry("token", "client-0", 3, 1), ReadEntry.absent("token", "client-1")),
        AUTH::sign);
  }

  /** Every message type, valid and signed. */
  public static List<ProtocolMessage> all() {
    NodeId n0 = new NodeId(0);
    NodeId n1 = new NodeId(1);
    Request r = request(1);
    PrePrepare pp = PrePrepare.sign(CLUSTER, 0, 1, List.of(r, requestWithReads(2)), n0, AUTH);
    Prepare p = Prepare.sign(CLUSTER, 0, 1, pp.digest(), n1, AUTH);
    Commit c = Commit.sign(CLUSTER, 0, 1, pp.digest(), n1, AUTH);
    Checkpoint cp = Checkpoint.sign(CLUSTER, 16, Digest.sha256(new byte[] {7}), n1, AUTH);
    ViewChange vc = ViewChange.sign(CLUSTER, 1, 0, List.of(),
        List.of(new PreparedCertificate(pp.header(), List.of(p))), n1, AUTH);
    NewView nv = NewView.sign(CLUSTER, 1, List.of(vc),
        List.of(PrePrepareHeader.sign(CLUSTER, 1, 1, pp.digest(), n1, AUTH)), n1, AUTH);
    Status st = Status.sign(CLUSTER, 0, 16, 20, n1, AUTH);
    StateRequest sq = StateRequest.sign(CLUSTER, 1, 2, n1, AUTH);
    BlockHeader h = new BlockHeader(1, Digest.ZERO, Digest.sha256(new byte[] {1}),
        Digest.sha256(new byte[] {2}), 1);
    Block b = new Block(h, List.of(new BlockEntry(r, ValidationCode.VALID, "ok")));
    StateResponse sr = StateResponse.sign(CLUSTER, List.of(b), List.of(cp), n1, AUTH);
    FetchBatch fb = FetchBatch.sign(CLUSTER, 1, pp.digest(), n1, AUTH);
    FetchedBatch fd = FetchedBatch.sign(CLUSTER, 1, pp.digest(), pp.batch(), n0, AUTH);
    return List.of(r, pp, p, c, cp, vc, nv, st, sq, sr, fb, fd);
  }
}
