/**
 * JMH microbenchmarks of bftlab's hot paths (issue 9): canonical bytes, digests, Ed25519 sign and
 * verify, one block's execution, and whole simulated agreement runs. Compiled and run only in the
 * {@code jmh} Maven profile ({@code mvn -Pjmh test-compile exec:exec}), never by {@code mvn
 * verify}: speed targets live here and in {@code bftlab bench}, not in unit tests.
 */
package org.bftlab.jmh;
