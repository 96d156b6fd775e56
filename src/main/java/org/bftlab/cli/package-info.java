/**
 * The {@code bftlab} command line (picocli): demo, node, client, cryptogen. Owns argument
 * parsing, progress output and exit codes; the work itself is done by the packages it calls.
 */
package org.bftlab.cli;
