/**
 * The PBFT normal case (Castro &amp; Liskov OSDI'99 §4.2; batching per TOCS'02 §5.1) as a pure
 * {@link org.bftlab.core.Component}: {@link org.bftlab.core.agreement.AgreementCore}.
 *
 * <p>Owns: the message log per sequence number ({@link org.bftlab.core.agreement.Slot}) and per
 * (view, seqNo) ({@link org.bftlab.core.agreement.LogEntry}), the low/high watermarks h and
 * H = h + L, the primary's pool of not-yet-proposed requests ({@link
 * org.bftlab.core.agreement.Batcher}), the <em>prepared</em> and <em>committed-local</em>
 * predicates, in-order delivery of committed batches to block commit, and retransmission of this
 * replica's own messages. Its events ({@link org.bftlab.core.agreement.AgreementEvent}) are the
 * journal and the trace.
 *
 * <p>Must not touch: Pekko, clocks, threads, I/O, unseeded randomness, key material (signing goes
 * through {@link org.bftlab.core.msg.Authenticator}); nor the view change (the election component
 * installs views through {@link org.bftlab.core.Signal.ViewInstalled}) nor checkpoints and
 * execution (block commit reports stable checkpoints through {@link
 * org.bftlab.core.Signal.CheckpointStable}). Time is counted in ticks ({@link
 * org.bftlab.core.Input.Tick}).
 */
package org.bftlab.core.agreement;
