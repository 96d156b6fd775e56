package org.bftlab.core.election;

import java.util.List;
import org.bftlab.core.model.ClientId;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.Request;

/**
 * The agreement tests' deterministic authenticator (signature = SHA-256(signer-id || payload)),
 * with requests that are {@code kv.put} calls, which always execute VALID.
 */
final class FakeAuth extends org.bftlab.core.agreement.FakeAuth {
  FakeAuth(NodeId self, int n) {
    super(self, n);
  }

  /** A {@code kv.put} request signed by {@code client-c} with timestamp {@code t}. */
  static Request request(int c, long t) {
    ClientId client = new ClientId("client-" + c);
    return Request.sign(CLUSTER, client, t, "kv", "put", List.of("k" + t, "v" + t),
        payload -> sig("client:" + client, payload));
  }
}
