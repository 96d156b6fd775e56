package org.bftlab.trace.svg;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.bftlab.core.model.NodeId;
import org.bftlab.sim.Simulation;
import org.bftlab.sim.SimulationResult;
import org.bftlab.trace.TraceEvent;
import org.bftlab.transport.byzantine.ByzantineNode;
import org.bftlab.transport.byzantine.ByzantineSpec;
import org.bftlab.transport.fault.FaultPlan;
import org.bftlab.transport.fault.NetworkRule;
import org.bftlab.transport.fault.Scope;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The sequence diagram of a tiny run: well-formed, one lane per node, one arrow per message. */
class SequenceDiagramTest {
  static Document parse(String svg) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(
        svg.getBytes(StandardCharsets.UTF_8)));
  }

  static int count(Document d, String tag, String cls) {
    return elements(d, tag, cls).size();
  }

  /** The {@code tag} elements whose class list holds {@code cls}. */
  static List<Element> elements(Document d, String tag, String cls) {
    NodeList l = d.getElementsByTagNameNS("http://www.w3.org/2000/svg", tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < l.getLength(); i++) {
      Element e = (Element) l.item(i);
      if (List.of(e.getAttribute("class").split(" ")).contains(cls)) {
        out.add(e);
      }
    }
    return out;
  }

  /** The texts of the message and mark labels. */
  static List<String> labels(Document d) {
    return elements(d, "text", "msg-label").stream().map(Element::getTextContent).toList();
  }

  @Test
  void tinyRunIsWellFormedWithOneLanePerNodeAndOneArrowPerMessage() throws Exception {
    SimulationResult r = Simulation.nodes(4).seed(3).transactions(10)
        .faults(FaultPlan.of(new NetworkRule.Drop(Scope.window(0, 8).from(new NodeId(2)), 1.0)))
        .run();
    DiagramWindow w = DiagramWindow.ticks(0, 12);
    String svg = SequenceDiagram.render(r.trace(), w);
    Document d = parse(svg);
    assertThat(d.getDocumentElement().getLocalName()).isEqualTo("svg");
    assertThat(count(d, "line", "lane")).isEqualTo(4 + 1); // 4 replicas + the clients
    long sends = r.trace().of(TraceEvent.Kind.SEND).stream()
        .filter(e -> w.showsTick(e.tick()) && !e.node().equals(e.peer())).count();
    long requests = r.trace().of(TraceEvent.Kind.DELIVER).stream()
        .filter(e -> w.showsTick(e.tick()) && "submit".equals(e.detail())).count();
    long drops = r.trace().of(TraceEvent.Kind.DROP).stream()
        .filter(e -> w.showsTick(e.tick()) && e.peer() != null && e.name() != null).count();
    assertThat(drops).as("the rule dropped node-2's messages").isPositive();
    assertThat(count(d, "line", "msg") + count(d, "line", "lost"))
        .as("every send in the window is an arrow, delivered or still in flight at its end")
        .isEqualTo(sends + requests);
    assertThat(count(d, "line", "drop")).isEqualTo(drops);
    assertThat(count(d, "polygon", "mark-prepared")).isPositive();
    assertThat(count(d, "rect", "mark-committed-local")).isPositive();
    assertThat(labels(d)).contains("PRE-PREPARE (v=0, n=1) node-0→node-1");
    assertThat(svg).contains("✕");
  }

  @Test
  void seqNoWindowKeepsOnlyThatSeqNosProtocolMessages() throws Exception {
    SimulationResult r = Simulation.nodes(4).seed(5).transactions(20).run();
    String svg = SequenceDiagram.render(r.trace(), DiagramWindow.ALL.seqNos(2, 2));
    Document d = parse(svg);
    List<String> labels = labels(d);
    assertThat(labels).anyMatch(l -> l.startsWith("PRE-PREPARE (v=0, n=2)"))
        .anyMatch(l -> l.startsWith("PREPARE (v=0, n=2)"))
        .anyMatch(l -> l.startsWith("COMMIT (v=0, n=2)"))
        .noneMatch(l -> l.contains("n=1)") || l.contains("n=3)"));
  }

  @Test
  void twinGetsItsOwnLane() throws Exception {
    SimulationResult r = Simulation.nodes(4).seed(2).transactions(10).maxTicks(200)
        .byzantine(new ByzantineNode(new NodeId(0),
            new ByzantineSpec.Twin(Set.of(new NodeId(3)), false)))
        .run();
    Document d = parse(SequenceDiagram.render(r.trace(), DiagramWindow.ticks(0, 10)));
    assertThat(count(d, "line", "lane")).isEqualTo(5 + 1);
  }
}
