package org.bftlab.trace.svg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bftlab.trace.svg.SequenceDiagramTest.elements;
import static org.bftlab.trace.svg.SequenceDiagramTest.labels;
import static org.bftlab.trace.svg.SequenceDiagramTest.parse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bftlab.sim.scenario.ScenarioLoader;
import org.bftlab.sim.scenario.ScenarioRunner;
import org.bftlab.trace.Trace;
import org.bftlab.trace.TraceEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The diagram of {@code scenarios/equivocating-primary.yaml}, seed 7 (the run of issue 11): the
 * whole run by default with its view change, a legend, and no two labels on top of each other;
 * and the {@code --window} forms.
 */
class ViewChangeDiagramTest {
  private static final long SEED = 7;
  private static Trace trace;

  @BeforeAll
  static void run() {
    System.out.println("equivocating-primary seed " + SEED);
    trace = ScenarioRunner.run(ScenarioLoader.load(Path.of("scenarios/equivocating-primary.yaml")),
        SEED).result().trace();
  }

  @Test
  void wholeRunShowsTheViewChangeAndTheLegendWithNoOverlappingLabels() throws Exception {
    String svg = SequenceDiagram.render(trace, DiagramWindow.ALL);
    Files.writeString(Path.of("target", "equivocating-primary-7.svg"), svg); // to look at
    Document d = parse(svg);
    long newViews = trace.of(TraceEvent.Kind.DELIVER).stream()
        .filter(e -> "NEW-VIEW".equals(e.name())).count();
    assertThat(newViews).as("the run has a view change").isPositive();
    List<Element> arrows = elements(d, "line", "msg");
    assertThat(arrows.stream().filter(a -> a.getTextContent().startsWith("NEW-VIEW ")).count())
        .as("every delivered NEW-VIEW is an arrow").isEqualTo(newViews);
    assertThat(arrows).anyMatch(a -> a.getTextContent().startsWith("VIEW-CHANGE "));
    assertThat(elements(d, "polygon", "mark-new-view")).as("one per install, one in the legend")
        .hasSize(1 + (int) trace.of(TraceEvent.Kind.PERSISTED).stream()
            .filter(e -> "NewViewInstalled".equals(e.name())).count());
    assertThat(elements(d, "rect", "view-change-band")).hasSize(1);
    assertThat(labels(d)).anyMatch(l -> l.startsWith("NEW-VIEW (v=1) node-1→"))
        .anyMatch(l -> l.equals("node-2 new view installed (v=1)"));
    long lastTick = trace.events().get(trace.size() - 1).tick();
    assertThat(elements(d, "text", "title").get(0).getTextContent())
        .as("the whole run").endsWith(".." + lastTick);
    List<Element> legend = elements(d, "g", "legend");
    assertThat(legend).hasSize(1);
    assertThat(legend.get(0).getTextContent()).contains("prepared (pre-prepare + 2f prepares)",
        "committed-local (2f+1 commits)", "new view installed", "VIEW-CHANGE / NEW-VIEW");
    List<int[]> boxes = elements(d, "rect", "label-box").stream().map(e -> new int[] {
        num(e, "x"), num(e, "y"), num(e, "width"), num(e, "height")}).toList();
    assertThat(boxes).hasSize(labels(d).size()).hasSizeGreaterThan(400);
    List<String> texts = labels(d);
    for (int i = 0; i < boxes.size(); i++) {
      for (int j = i + 1; j < boxes.size(); j++) {
        if (overlap(boxes.get(i), boxes.get(j))) {
          throw new AssertionError("label boxes overlap: " + texts.get(i) + " / " + texts.get(j));
        }
      }
    }
    assertThat(overlap(boxes.get(0), boxes.get(0))).as("the overlap test can fail").isTrue();
  }

  @Test
  void seqNoWindowShowsOnlyThoseSeqNosAndTheirTicks() throws Exception {
    Document d = parse(SequenceDiagram.render(trace, DiagramWindow.parse("seq=3..4")));
    Pattern n = Pattern.compile("n=(\\d+)\\)");
    List<String> labels = labels(d);
    assertThat(labels).anyMatch(l -> l.startsWith("PRE-PREPARE (v=1, n=3)"))
        .anyMatch(l -> l.startsWith("COMMIT (v=1, n=4)"));
    for (String l : labels) {
      Matcher m = n.matcher(l);
      if (m.find() && !l.contains("block appended")) {
        assertThat(Long.parseLong(m.group(1))).as(l).isBetween(3L, 4L);
      }
    }
  }

  @Test
  void tickWindowShowsOnlyThoseTicks() throws Exception {
    Document d = parse(SequenceDiagram.render(trace, DiagramWindow.parse("tick=80..90")));
    List<Element> ticks = elements(d, "text", "tick");
    assertThat(ticks).isNotEmpty().allSatisfy(t -> assertThat(
        Long.parseLong(t.getTextContent().substring(2))).isBetween(80L, 90L));
    assertThat(labels(d)).anyMatch(l -> l.startsWith("VIEW-CHANGE (v=1)"));
  }

  @Test
  void windowOptionParsesBothFormsAndRejectsOthers() {
    assertThat(DiagramWindow.parse("seq=3..9,tick=100..400"))
        .isEqualTo(new DiagramWindow(100, 400, 3, 9));
    assertThat(DiagramWindow.parse("tick=5")).isEqualTo(DiagramWindow.ticks(5, 5));
    for (String bad : List.of("3..9", "seq=9..3", "tick=a..b", "view=1", "seq=-1..2")) {
      assertThatThrownBy(() -> DiagramWindow.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seq=A..B");
    }
  }

  private static int num(Element e, String attr) {
    return Integer.parseInt(e.getAttribute(attr));
  }

  private static boolean overlap(int[] a, int[] b) {
    return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
  }
}
