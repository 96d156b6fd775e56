/**
 * Moving protocol messages between replicas. {@link org.bftlab.transport.Transport} is the seam
 * that fault injection decorates; the Pekko implementation finds peers through the cluster
 * receptionist, where each node registers its {@link org.bftlab.transport.NodeInbox} (the
 * receiving end: an envelope per message, handed to a routing function the node supplies).
 * Must not interpret messages beyond their destination, nor depend on the node that wires it
 * ({@code LayeringTest}).
 */
package org.bftlab.transport;
