/**
 * Leader election: PBFT's view change (Castro &amp; Liskov OSDI'99 §4.4; TOCS'02 §2.3.5, §4) as
 * a pure {@link org.bftlab.core.Component}, {@link org.bftlab.core.election.ElectionCore}.
 *
 * <p>Owns: the installed view and the view being changed to, the view-change timer (in ticks,
 * doubled per view change without progress), this replica's VIEW-CHANGE (one per view, durable
 * before sent) and, at a new primary, its NEW-VIEW; peers' VIEW-CHANGEs; the validity rules for
 * VIEW-CHANGE and NEW-VIEW ({@code ViewChangeCheck}) and the computation of O from V ({@link
 * org.bftlab.core.election.NewViewPlan}). Its events ({@link
 * org.bftlab.core.election.ElectionEvent}) are the journal and the trace.
 *
 * <p>Must not touch agreement's message log or the ledger: it talks to them through signals —
 * it receives {@code RequestAwaited}, {@code BatchExecuted}, {@code CheckpointStable} (with its
 * proof) and {@code PreparedCertificatesCollected}; it sends {@code ViewChangeRequested}, {@code
 * ViewInstalled} (with min-s and O) and {@code StateTransferNeeded}.
 */
package org.bftlab.core.election;
