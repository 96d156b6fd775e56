/**
 * The {@code bftlab} command line (picocli): demo, node, client, sim, cryptogen, bench. Owns
 * argument parsing, progress output and exit codes; the work itself is done by the packages it
 * calls. The top layer: no other package depends on it.
 */
package org.bftlab.cli;
