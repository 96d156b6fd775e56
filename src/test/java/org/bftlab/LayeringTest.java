package org.bftlab;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Random;
import java.util.Set;
import java.util.Timer;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture of DESIGN.md, checked on bytecode (ArchUnit), so an inline fully-qualified
 * name or a lambda cannot hide an edge as it could from the source scan this replaces.
 *
 * <p>Layers, bottom up: {@code core.model}, then {@code core.msg} (the bottom of the protocol:
 * messages and their canonical bytes), then the rest of the pure core; then {@code codec},
 * {@code crypto}, {@code config}, {@code workload}; {@code transport} and {@code api}; then
 * {@code node}, {@code sim}, {@code client}, {@code lab}, {@code bench}; {@code cli} on top. No
 * two packages depend on each other, directly or through others.
 */
class LayeringTest {
  private static final String CORE = "org.bftlab.core..";
  private static JavaClasses bftlab;

  @BeforeAll
  static void importMainClasses() {
    bftlab = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
        .importPackages("org.bftlab");
  }

  /** DESIGN.md §1: the core imports nothing but the JDK and itself (no Pekko, Jackson, BC …). */
  private static final ArchRule coreDependsOnlyOnJavaAndCore = classes().that().resideInAPackage(CORE)
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", CORE)
      .because("the core is pure (DESIGN.md §1): shells, the simulator and tests supply the rest");

  /** Messages are the bottom of the protocol: they know model types, never a component. */
  private static final ArchRule msgIsTheBottomOfTheCore = classes().that()
      .resideInAPackage("org.bftlab.core.msg..")
      .should().onlyDependOnClassesThat()
      .resideInAnyPackage("java..", "org.bftlab.core.msg..", "org.bftlab.core.model..")
      .because("every component reads messages; a message that imported a component would tie"
          + " the components together");

  private static final ArchRule modelDependsOnNothingElseInTheCore = classes().that()
      .resideInAPackage("org.bftlab.core.model..")
      .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "org.bftlab.core.model..");

  /** DESIGN.md §1: the core reads no clock, starts no thread, does no I/O, no unseeded random. */
  private static final ArchRule coreIsDeterministic = noClasses().that().resideInAPackage(CORE)
      .should().dependOnClassesThat().resideInAnyPackage("java.nio.file..", "java.nio.channels..",
          "java.net..", "java.util.concurrent..", "java.lang.reflect..")
      .orShould().dependOnClassesThat(doIo())
      .orShould().dependOnClassesThat().belongToAnyOf(Thread.class, ThreadGroup.class,
          Clock.class, Timer.class, ThreadLocalRandom.class, SecureRandom.class, Runtime.class,
          ProcessBuilder.class)
      .orShould().callConstructor(Random.class)
      .orShould().callMethodWhere(readsTheEnvironment())
      .orShould().accessFieldWhere(readsTheEnvironment())
      .because("a decision must depend on its inputs only: time comes in as ticks, randomness"
          + " from a seeded generator, key material through the Authenticator");

  /** No package cycles: every package of bftlab depends on the ones below it only. */
  private static final ArchRule noPackageCycles = slices().matching("org.bftlab.(**)")
      .should().beFreeOfCycles();

  private static final ArchRule transportDoesNotKnowTheNode = noClasses().that()
      .resideInAPackage("org.bftlab.transport..")
      .should().dependOnClassesThat().resideInAPackage("org.bftlab.node..")
      .because("the node wires a transport, not the other way round");

  private static final ArchRule simDoesNotUseTheRealClientOrCli = noClasses().that()
      .resideInAPackage("org.bftlab.sim..")
      .should().dependOnClassesThat().resideInAnyPackage("org.bftlab.client..", "org.bftlab.cli..")
      .because("the simulator drives the cores with its own virtual-time client");

  private static final ArchRule apiDoesNotKnowTheTransport = noClasses().that()
      .resideInAPackage("org.bftlab.api..")
      .should().dependOnClassesThat().resideInAPackage("org.bftlab.transport..")
      .because("the HTTP API talks to a NodeFacade; the node owns the transport");

  private static final ArchRule clientTalksHttpOnly = noClasses().that()
      .resideInAPackage("org.bftlab.client..")
      .should().dependOnClassesThat().resideInAnyPackage("org.bftlab.node..",
          "org.bftlab.transport..", "org.bftlab.sim..", "org.bftlab.cli..")
      .because("a client reaches the cluster over HTTP only, as a remote client would");

  private static final ArchRule onlyTheCliUsesTheCli = noClasses().that()
      .resideOutsideOfPackage("org.bftlab.cli..")
      .should().dependOnClassesThat().resideInAPackage("org.bftlab.cli..");

  @Test
  void coreDependsOnlyOnJavaAndCore() {
    coreDependsOnlyOnJavaAndCore.check(bftlab);
  }

  @Test
  void msgIsTheBottomOfTheCore() {
    msgIsTheBottomOfTheCore.check(bftlab);
  }

  @Test
  void modelDependsOnNothingElseInTheCore() {
    modelDependsOnNothingElseInTheCore.check(bftlab);
  }

  @Test
  void coreIsDeterministic() {
    coreIsDeterministic.check(bftlab);
  }

  @Test
  void noPackageCycles() {
    noPackageCycles.check(bftlab);
  }

  @Test
  void transportDoesNotKnowTheNode() {
    transportDoesNotKnowTheNode.check(bftlab);
  }

  @Test
  void simDoesNotUseTheRealClientOrCli() {
    simDoesNotUseTheRealClientOrCli.check(bftlab);
  }

  @Test
  void apiDoesNotKnowTheTransport() {
    apiDoesNotKnowTheTransport.check(bftlab);
  }

  @Test
  void clientTalksHttpOnly() {
    clientTalksHttpOnly.check(bftlab);
  }

  /** The stepper holds the real cores through NodeRunner, never the Pekko node or its transport. */
  private static final ArchRule stepperDrivesTheCoresNotTheNode = noClasses().that()
      .resideInAPackage("org.bftlab.step..")
      .should().dependOnClassesThat().resideInAnyPackage("org.bftlab.node..",
          "org.bftlab.transport..", "org.bftlab.api..", "org.bftlab.client..", "org.bftlab.cli..")
      .because("the stepper delivers one message at a time to the real cores (NodeRunner)");

  @Test
  void stepperDrivesTheCoresNotTheNode() {
    stepperDrivesTheCoresNotTheNode.check(bftlab);
  }

  @Test
  void onlyTheCliUsesTheCli() {
    onlyTheCliUsesTheCli.check(bftlab);
  }

  /** The rules above see the code: an empty import would pass them all. */
  @Test
  void theRulesSeeTheWholeCodeBase() {
    Set<String> packages = new TreeSet<>();
    for (JavaClass c : bftlab) {
      packages.add(c.getPackageName());
    }
    assertThat(packages).contains("org.bftlab.core.msg", "org.bftlab.core.agreement",
        "org.bftlab.node", "org.bftlab.transport", "org.bftlab.sim", "org.bftlab.api",
        "org.bftlab.client", "org.bftlab.cli");
    assertThat(bftlab.size()).isGreaterThan(300);
  }

  /** java.io beyond in-memory byte streams: files, consoles, pipes. */
  private static DescribedPredicate<JavaClass> doIo() {
    return DescribedPredicate.describe("do file, console or pipe I/O",
        c -> c.getPackageName().equals("java.io")
            && c.getSimpleName().matches(".*(File|Console|PrintStream|PrintWriter|Pipe|RandomAccess).*"));
  }

  private static <T extends JavaAccess<?>> DescribedPredicate<T> readsTheEnvironment() {
    return DescribedPredicate.describe("reads a clock, the environment or the console",
        access -> {
          JavaClass owner = access.getTargetOwner();
          String name = access.getName();
          if (owner.isEquivalentTo(System.class)) {
            return Set.of("currentTimeMillis", "nanoTime", "getenv", "getProperty", "getProperties",
                "in", "out", "err", "exit").contains(name);
          }
          if (owner.isEquivalentTo(Math.class) || owner.isEquivalentTo(StrictMath.class)) {
            return name.equals("random");
          }
          return owner.getPackageName().equals("java.time") && name.equals("now");
        });
  }
}
