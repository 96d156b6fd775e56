/**
 * The students' stepper (DESIGN.md "students"; issue 11): n real replicas (the {@code core}
 * components, each driven by its {@link org.bftlab.core.ComponentRunner} inside a {@link
 * org.bftlab.core.NodeRunner}) and one client, on virtual time, where every network message
 * waits in an in-flight set with a stable id until the student delivers, drops or duplicates it.
 * A run is a seed plus the list of recorded {@link org.bftlab.step.Choice}s, so going back to
 * step k replays the first k choices from scratch, and a choice made after going back forks the
 * timeline. Front ends: {@link org.bftlab.step.StepRepl} (terminal) and {@link
 * org.bftlab.step.StepServer} (web page and WebSocket on 127.0.0.1).
 *
 * <p>Owns: the stepper's engine, its narration in the paper's words, its terminal and web front
 * ends and the web assets under {@code src/main/resources/step/}.
 *
 * <p>Must not touch: {@code node} (the Pekko shells), {@code transport}'s Pekko parts, {@code
 * api}, {@code cli}; and it never reaches into core internals: it reads the components' states
 * through their public getters only. Quorum sizes come from {@link org.bftlab.core.quorum.Quorums}.
 */
package org.bftlab.step;
