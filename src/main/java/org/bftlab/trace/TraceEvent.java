package org.bftlab.trace;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One trace line. Serialized as one NDJSON object with the fields in this order; null fields are
 * left out. Shape (examples):
 *
 * <pre>
 * {"seq":17,"tick":3,"kind":"send","node":"node-0","component":"agreement","name":"PRE-PREPARE","peer":"node-2","detail":"at 4","data":{"type":"PrePrepare",...}}
 * {"seq":18,"tick":3,"kind":"persisted","node":"node-1","component":"agreement","name":"PrePrepareAccepted","data":{...}}
 * {"seq":90,"tick":41,"kind":"crash","node":"node-2"}
 * {"seq":95,"tick":60,"kind":"journal-corrupt","node":"node-2","component":"agreement","detail":"journal corrupt at event #12"}
 * </pre>
 *
 * @param seq position in the trace, from 0
 * @param tick virtual time, in ticks
 * @param kind what happened, one of {@link Kind}'s names ({@code send}, {@code deliver} …)
 * @param node the node it happened at (the sender for {@code send}, the receiver otherwise)
 * @param component {@code election}, {@code agreement}, {@code block-commit}, or null
 * @param name the message type ({@code PREPARE}), event ({@code Prepared}) or signal name
 * @param peer the other node of a message ({@code send}: receiver; {@code deliver}/{@code drop}:
 *     sender), or a client id for {@code submit}
 * @param detail free text: a drop or rejection reason, a fault's parameters, a delivery tick
 * @param data the message, event, signal or request itself (Jackson, {@code Json.mapper()})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TraceEvent(long seq, long tick, String kind, String node, String component,
    String name, String peer, String detail, Object data) {

  /** The kinds of trace line. */
  public enum Kind {
    /** The run's parameters (first line). */
    RUN("run"),
    /** A network fault rule, listed at the start. */
    RULE("rule"),
    /** A message left a node (one line per receiver and copy). */
    SEND("send"),
    /** A message reached a node and was fed to the owning component. */
    DELIVER("deliver"),
    /** A message was lost: a rule, a crashed or paused receiver. */
    DROP("drop"),
    /** A component persisted an event (after it is durable). */
    PERSISTED("persisted"),
    /** A component applied a volatile event worth seeing (e.g. Rejected). */
    VOLATILE("volatile"),
    /** A sibling signal was handed to a component of the same node. */
    SIGNAL("signal"),
    /** A client sent a request to a node. */
    SUBMIT("submit"),
    /** A client saw f+1 matching outcomes for a transaction. */
    CLIENT_COMMITTED("client-committed"),
    /** A process or storage fault. */
    CRASH("crash"),
    RESTART("restart"),
    PAUSE("pause"),
    RESUME("resume"),
    AMNESIA("amnesia"),
    TRUNCATE("truncate"),
    CORRUPT("corrupt"),
    /** A restart found a journal entry whose checksum fails; the node stays down. */
    JOURNAL_CORRUPT("journal-corrupt"),
    /** A network rule stopped applying. */
    HEAL("heal"),
    /** The run stopped. */
    END("end");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    /** The {@code kind} value written to the trace. */
    public String label() {
      return label;
    }
  }

  /** True when this line is of kind {@code k}. */
  public boolean is(Kind k) {
    return k.label().equals(kind);
  }
}
