/**
 * The trace (DESIGN.md §4–§5): one {@link org.bftlab.trace.TraceEvent} per send, delivery, drop,
 * persisted event, selected volatile event, sibling signal, client submission, process fault and
 * heal, stamped with virtual time in ticks, node and component, and written as NDJSON through
 * {@link org.bftlab.codec.Json#mapper()}. The same seed gives a byte-identical trace. Checkers,
 * the sequence diagram and the web UI read the trace, never component internals.
 */
package org.bftlab.trace;
