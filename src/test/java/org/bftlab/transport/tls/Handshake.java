package org.bftlab.transport.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Runs a TLS handshake between two {@link SSLEngine}s in memory (no sockets), stepping each side
 * until both finish, one fails, or neither makes progress.
 *
 * @param clientError what the client side threw, or null
 * @param serverError what the server side threw, or null
 */
record Handshake(SSLException clientError, SSLException serverError) {

  static Handshake run(SSLEngine client, SSLEngine server) {
    ByteBuffer toServer = ByteBuffer.allocate(1 << 17);
    ByteBuffer toClient = ByteBuffer.allocate(1 << 17);
    Side c = new Side(client, toClient, toServer);
    Side s = new Side(server, toServer, toClient);
    try {
      client.beginHandshake();
      server.beginHandshake();
    } catch (SSLException e) {
      return new Handshake(e, null);
    }
    for (int round = 0; round < 200; round++) {
      boolean progress = c.step() | s.step();
      if (c.error != null || s.error != null) {
        // let the other side read the alert, if any, then stop
        c.step();
        s.step();
        return new Handshake(c.error, s.error);
      }
      if (c.done() && s.done()) {
        return new Handshake(null, null);
      }
      if (!progress) {
        throw new IllegalStateException("handshake stalled: client " + client.getHandshakeStatus()
            + ", server " + server.getHandshakeStatus());
      }
    }
    throw new IllegalStateException("handshake did not finish in 200 rounds");
  }

  boolean succeeded() {
    return clientError == null && serverError == null;
  }

  /** The messages of {@code e} and all its causes, for assertions. */
  static String reasons(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" / ");
    }
    return sb.toString();
  }

  private static final class Side {
    final SSLEngine engine;
    final ByteBuffer in;
    final ByteBuffer out;
    final ByteBuffer app = ByteBuffer.allocate(1 << 17);
    SSLException error;

    Side(SSLEngine engine, ByteBuffer in, ByteBuffer out) {
      this.engine = engine;
      this.in = in;
      this.out = out;
    }

    boolean done() {
      HandshakeStatus hs = engine.getHandshakeStatus();
      return hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED;
    }

    boolean step() {
      boolean progress = false;
      try {
        while (true) {
          HandshakeStatus hs = engine.getHandshakeStatus();
          if (hs == HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
              task.run();
            }
            progress = true;
          } else if (hs == HandshakeStatus.NEED_WRAP) {
            var r = engine.wrap(ByteBuffer.allocate(0), out);
            progress |= r.bytesProduced() > 0;
            if (r.bytesProduced() == 0 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
              return progress;
            }
          } else if (hs == HandshakeStatus.NEED_UNWRAP
              || hs == HandshakeStatus.NEED_UNWRAP_AGAIN) {
            in.flip();
            var r = engine.unwrap(in, app);
            in.compact();
            if (r.bytesConsumed() == 0 && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) {
              return progress;
            }
            progress = true;
          } else {
            // finished: consume post-handshake messages (e.g. session tickets), if any
            if (in.position() > 0) {
              in.flip();
              engine.unwrap(in, app);
              in.compact();
            }
            return progress;
          }
        }
      } catch (SSLException e) {
        if (error == null) {
          error = e;
        }
        return true;
      }
    }
  }
}
