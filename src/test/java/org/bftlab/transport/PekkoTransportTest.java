package org.bftlab.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.bftlab.codec.SampleMessages;
import org.bftlab.core.model.NodeId;
import org.bftlab.core.msg.ProtocolMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Where {@link PekkoTransport} sends: to the inboxes the receptionist lists for a peer, and
 * before the listing arrives to the peer's inbox by its address (a freshly started cluster
 * dropped its first relays and changed views for nothing); without an address, nothing.
 */
class PekkoTransportTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final NodeId SELF = new NodeId(0);
  private static final NodeId PEER = new NodeId(1);
  private static final List<NodeId> NODES =
      List.of(SELF, PEER, new NodeId(2), new NodeId(3));
  private static final ProtocolMessage M = SampleMessages.request(7);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @Test
  void aPeerNotListedYetIsReachedByItsAddress() {
    TestProbe<NodeInbox.Command> byAddress = KIT.createTestProbe();
    PekkoTransport t = new PekkoTransport(SELF, NODES, m -> { }, Map.of(PEER, byAddress.ref()));
    t.send(PEER, M);
    t.multicast(M);
    assertThat(((NodeInbox.PeerEnvelope) byAddress.receiveMessage()).message()).isEqualTo(M);
    assertThat(((NodeInbox.PeerEnvelope) byAddress.receiveMessage()).message()).isEqualTo(M);
    assertThat(t.reachablePeers()).as("reported reachable only once listed").isEmpty();
  }

  @Test
  void withoutAnAddressAMessageToAnUnlistedPeerIsDropped() {
    TestProbe<NodeInbox.Command> listed = KIT.createTestProbe();
    PekkoTransport t = new PekkoTransport(SELF, NODES, m -> { });
    t.send(PEER, M);
    KIT.system().receptionist().tell(Receptionist.register(NodeInbox.key(PEER), listed.ref()));
    KIT.spawn(t.directory());
    listed.awaitAssert(Duration.ofSeconds(10), () -> assertThat(t.reachablePeers()).contains(PEER));
    t.send(PEER, M);
    assertThat(((NodeInbox.PeerEnvelope) listed.receiveMessage()).message()).isEqualTo(M);
    listed.expectNoMessage(Duration.ofMillis(100)); // the first send was dropped
  }

  @Test
  void onceListedThePeerIsReachedThroughTheListingNotTheAddress() {
    TestProbe<NodeInbox.Command> byAddress = KIT.createTestProbe();
    TestProbe<NodeInbox.Command> listed = KIT.createTestProbe();
    NodeId peer = new NodeId(2);
    PekkoTransport t = new PekkoTransport(SELF, NODES, m -> { }, Map.of(peer, byAddress.ref()));
    KIT.system().receptionist().tell(Receptionist.register(NodeInbox.key(peer), listed.ref()));
    KIT.spawn(t.directory());
    listed.awaitAssert(Duration.ofSeconds(10), () -> assertThat(t.reachablePeers()).contains(peer));
    t.send(peer, M);
    assertThat(((NodeInbox.PeerEnvelope) listed.receiveMessage()).message()).isEqualTo(M);
    byAddress.expectNoMessage(Duration.ofMillis(100));
  }

  /**
   * Bundles (issue 9): what queues for a peer while its drain is pending goes out as one
   * {@link NodeInbox.PeerBundle} of small messages, in order, at most {@code maxBundle} each;
   * a large message (a PRE-PREPARE) goes alone between them, and order per peer is kept. The
   * executor is run by hand, so the test decides what queues before the drain.
   */
  @Test
  void smallMessagesQueuedForAPeerGoOutAsBundlesInOrder() {
    TestProbe<NodeInbox.Command> peer = KIT.createTestProbe();
    java.util.ArrayDeque<Runnable> tasks = new java.util.ArrayDeque<>();
    PekkoTransport t = new PekkoTransport(SELF, NODES, m -> { }, Map.of(PEER, peer.ref()),
        tasks::add, 3);
    ProtocolMessage big = SampleMessages.all().stream()
        .filter(m -> m instanceof org.bftlab.core.msg.PrePrepare).findFirst().orElseThrow();
    List<ProtocolMessage> sent = List.of(SampleMessages.request(1), SampleMessages.request(2),
        SampleMessages.request(3), SampleMessages.request(4), big, SampleMessages.request(5));
    sent.forEach(m -> t.send(PEER, m));
    assertThat(tasks).as("one drain pending for the peer, however many sends").hasSize(1);
    tasks.poll().run();
    assertThat(bundle(peer.receiveMessage())).containsExactlyElementsOf(sent.subList(0, 3));
    assertThat(bundle(peer.receiveMessage())).containsExactly(sent.get(3)); // cut by the big one
    assertThat(bundle(peer.receiveMessage())).containsExactly(big);
    assertThat(bundle(peer.receiveMessage())).containsExactly(sent.get(5));
    peer.expectNoMessage(Duration.ofMillis(50));
    t.send(PEER, M);
    tasks.poll().run();
    assertThat(bundle(peer.receiveMessage())).containsExactly(M);
    assertThat(tasks).isEmpty();
  }

  private static List<ProtocolMessage> bundle(NodeInbox.Command c) {
    if (c instanceof NodeInbox.PeerEnvelope e) {
      return List.of(e.message());
    }
    return ((NodeInbox.PeerBundle) c).envelopes().stream().map(NodeInbox.PeerEnvelope::message)
        .toList();
  }
}
