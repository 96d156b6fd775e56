package org.bftlab.transport;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * A local actor system with the node's serialization settings and the strict wire serializer
 * bound to {@link NodeInbox.PeerEnvelope}, for tests of what crosses the wire.
 */
final class WireFixture implements AutoCloseable {
  final ActorSystem<Void> system;
  final WireSerializer wire;

  WireFixture(String name) throws java.io.NotSerializableException {
    system = ActorSystem.create(Behaviors.empty(), name, ConfigFactory.parseString(
        "pekko.actor.provider = local\npekko.loglevel = WARNING").withFallback(ConfigFactory.load()));
    wire = (WireSerializer) SerializationExtension.get(system)
        .serializerFor(NodeInbox.PeerEnvelope.class);
  }

  @Override
  public void close() {
    system.terminate();
  }
}
