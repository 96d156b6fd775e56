/**
 * Moving protocol messages between replicas. {@link org.bftlab.transport.Transport} is the seam
 * that fault injection decorates; the Pekko implementation finds peers through the cluster
 * receptionist. Must not interpret messages beyond their destination.
 */
package org.bftlab.transport;
