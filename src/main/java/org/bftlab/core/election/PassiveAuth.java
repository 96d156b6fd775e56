package org.bftlab.core.election;

import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Authenticator;

/** The authenticator of a passive election: signs nothing, verifies nothing. */
enum PassiveAuth implements Authenticator {
  INSTANCE;

  @Override
  public byte[] sign(byte[] payload) {
    throw new UnsupportedOperationException("a passive election signs nothing");
  }

  @Override
  public boolean verifyReplica(NodeId signer, byte[] payload, byte[] signature) {
    return false;
  }

  @Override
  public boolean verifyClient(ClientId client, byte[] payload,
      byte[] signature) {
    return false;
  }

  @Override
  public boolean knowsClient(ClientId client) {
    return false;
  }
}
