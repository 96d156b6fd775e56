package org.bftlab.node.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bftlab.cli.Main;
import org.bftlab.config.ConfigLoader;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Ed25519KeyPair;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.GenesisNode;
import org.bftlab.crypto.KeyFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Loads every manifest of {@code k8s/} and of {@code cryptogen --k8s} output (n = 4 and n = 7)
 * with the fabric8 Kubernetes model, fails on any key the model does not know, and checks the
 * invariants an operator relies on (k8s/README.md).
 */
class KubernetesManifestsTest {
  private static final Path K8S = Path.of("k8s");
  private static final Path BASE = K8S.resolve("base");

  @TempDir Path tmp;

  @Test
  void everyYamlFileUnderK8sLoadsAsAKnownKindWithNoUnknownKey() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(K8S)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")
          && !p.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    int objects = 0;
    for (Path f : files) {
      objects += Kustomized.load(f).size();
    }
    // base: SA, Role, RoleBinding, 2 Services, ConfigMap, StatefulSet, PDB; dev-4: 1 + 4 + 4
    assertThat(objects).isEqualTo(8 + 9);
  }

  @Test
  void theShippedDevClusterHoldsEveryInvariant() throws IOException {
    check(Kustomized.render(K8S), 4);
  }

  @ParameterizedTest(name = "./bftlab cryptogen --nodes {0} --k8s DIR")
  @ValueSource(ints = {4, 7})
  void cryptogenK8sOutputHoldsEveryInvariant(int n) throws IOException {
    Path out = tmp.resolve("cluster-" + n);
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main())
        .setErr(new PrintWriter(err)).setOut(new PrintWriter(new StringWriter()))
        .execute("cryptogen", "--nodes", String.valueOf(n), "--cluster-id", "k8s-test",
            "--k8s", out.toString(), "--k8s-base", BASE.toString());
    assertThat(code).as(err.toString()).isZero();
    for (String f : List.of("kustomization.yaml", "node-secrets.yaml", "key-jobs.yaml",
        "genesis-configmap.yaml", "genesis.json", "clients/client-0.key")) {
      assertThat(out.resolve(f)).isRegularFile();
    }
    for (String f : List.of("node-secrets.yaml", "key-jobs.yaml", "genesis-configmap.yaml")) {
      Kustomized.load(out.resolve(f));
    }
    List<HasMetadata> all = Kustomized.render(out);
    check(all, n);
    assertThat(genesisOf(all)).isEqualTo(Genesis.read(out.resolve("genesis.json")));
  }

  @Test
  void cryptogenK8sRefusesToOverwriteAndToWriteKeysElsewhere() throws IOException {
    Path out = tmp.resolve("c");
    KubernetesManifests.generate(CryptoGen.Options.defaults(out), BASE);
    assertThatThrownBy(() -> KubernetesManifests.generate(CryptoGen.Options.defaults(out), BASE))
        .isInstanceOf(FileAlreadyExistsException.class);
    StringWriter err = new StringWriter();
    int code = new CommandLine(new Main())
        .setErr(new PrintWriter(err))
        .execute("cryptogen", "--k8s", tmp.resolve("a").toString(), "--out",
            tmp.resolve("b").toString());
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("drop --out");
  }

  @Test
  void aMisspelledKeyFailsTheLoad() throws IOException {
    String sts = Files.readString(BASE.resolve("statefulset.yaml"))
        .replace("livenessProbe:", "livenesProbe:");
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(bad, sts);
    assertThatThrownBy(() -> Kustomized.load(bad)).isInstanceOf(AssertionError.class)
        .hasMessageContaining("livenesProbe");
  }

  @Test
  void anUnknownKindFailsTheLoad() {
    assertThatThrownBy(() -> Kustomized.typed(
        "apiVersion: example.org/v1\nkind: Frobnicator\nmetadata:\n  name: x\n", "doc"))
        .isInstanceOf(AssertionError.class).hasMessageContaining("not a known Kubernetes kind");
  }

  @Test
  void theDockerfileRunsTheShadedJarOnTemurin17AsTheManifestsUser() throws IOException {
    String docker = Files.readString(Path.of("Dockerfile"));
    assertThat(docker).contains("FROM eclipse-temurin:17-jre")
        .contains("COPY target/bftlab-0.1.0-SNAPSHOT-all.jar")
        .contains("USER 10001:10001");
    StatefulSet sts = (StatefulSet) Kustomized.render(K8S).stream()
        .filter(StatefulSet.class::isInstance).findFirst().orElseThrow();
    assertThat(sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser())
        .isEqualTo(10001L);
    assertThat(docker).contains("docker build -t " + KubernetesManifests.IMAGE);
  }

  // ---- the invariants ----

  private static void check(List<HasMetadata> all, int n) {
    int f = (n - 1) / 3;
    StatefulSet sts = one(all, StatefulSet.class, KubernetesManifests.NAME);
    PodSpec pod = sts.getSpec().getTemplate().getSpec();
    Map<String, String> podLabels = sts.getSpec().getTemplate().getMetadata().getLabels();
    Genesis genesis = genesisOf(all);
    Config nodeConf = nodeConf(all);

    // replicas = 3f+1 = the genesis; the ordinal is the replica id; parallel start
    assertThat(genesis.n()).isEqualTo(n);
    assertThat(sts.getSpec().getReplicas()).isEqualTo(3 * f + 1).isEqualTo(n);
    assertThat(sts.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
    for (GenesisNode g : genesis.nodes()) {
      assertThat(g.host()).isEqualTo(KubernetesManifests.NAME + "-" + g.id().index() + "."
          + sts.getSpec().getServiceName());
      assertThat(DiscoverySettings.nodeIdOf(KubernetesManifests.NAME + "-" + g.id().index()))
          .isEqualTo(g.id());
    }

    // selectors match labels
    assertThat(podLabels).containsAllEntriesOf(sts.getSpec().getSelector().getMatchLabels());
    Service headless = one(all, Service.class, sts.getSpec().getServiceName());
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getPublishNotReadyAddresses()).isTrue();
    assertThat(podLabels).containsAllEntriesOf(headless.getSpec().getSelector());
    Service client = one(all, Service.class, "bftlab-client");
    assertThat(client.getSpec().getPublishNotReadyAddresses()).isNotEqualTo(Boolean.TRUE);
    assertThat(podLabels).containsAllEntriesOf(client.getSpec().getSelector());
    PodDisruptionBudget pdb = one(all, PodDisruptionBudget.class, KubernetesManifests.NAME);
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());

    // PDB: maxUnavailable = f
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(f);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();

    // the container
    assertThat(pod.getContainers()).hasSize(1);
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo(KubernetesManifests.IMAGE);
    Map<String, Integer> ports = new HashMap<>();
    for (ContainerPort p : c.getPorts()) {
      ports.put(p.getName(), p.getContainerPort());
    }
    assertThat(ports).containsOnlyKeys("remoting", "management", "http");
    Config defaults = ConfigLoader.defaults().resolve();
    assertThat(ports.get("management")).isEqualTo(Integer.parseInt(env(c, "PEKKO_MANAGEMENT_PORT")))
        .isEqualTo(defaults.getInt("pekko.management.http.port"));
    for (GenesisNode g : genesis.nodes()) {
      assertThat(g.pekkoPort()).isEqualTo(ports.get("remoting"));
      assertThat(g.httpPort()).isEqualTo(ports.get("http"));
    }
    assertThat(headless.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
        .containsExactlyInAnyOrder("remoting", "management", "http");
    assertThat(client.getSpec().getPorts()).extracting(p -> p.getTargetPort().getStrVal())
        .containsExactly("http");

    // bootstrap: the service name is the app label, discovery selects app=<service name> on
    // the management port, and the node id comes from the host name
    assertThat(fieldRef(c, "PEKKO_CLUSTER_BOOTSTRAP_SERVICE_NAME"))
        .isEqualTo("metadata.labels['app']");
    assertThat(podLabels.get("app")).isEqualTo(KubernetesManifests.NAME)
        .isEqualTo(headless.getMetadata().getName());
    assertThat(defaults.getString("pekko.discovery.kubernetes-api.pod-label-selector"))
        .isEqualTo("app=%s");
    assertThat(defaults.getString(
        "pekko.management.cluster.bootstrap.contact-point-discovery.port-name"))
        .isEqualTo("management");
    assertThat(env(c, "BFTLAB_DISCOVERY")).isEqualTo("kubernetes-api");
    assertThat(env(c, "BFTLAB_NODE_ID_FROM_HOSTNAME")).isEqualTo("on");
    assertThat(fieldRef(c, "HOSTNAME")).isEqualTo("metadata.name");
    assertThat(fieldRef(c, "BFTLAB_CANONICAL_HOSTNAME")).isEqualTo("status.podIP");
    // no other pod carries the app label (discovery would take it for a contact point)
    for (Job j : all(all, Job.class)) {
      assertThat(j.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey("app");
    }

    // Prometheus finds every replica pod and scrapes GET /metrics on its http port
    Map<String, String> podAnnotations = sts.getSpec().getTemplate().getMetadata()
        .getAnnotations();
    assertThat(podAnnotations).containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/path", "/metrics")
        .containsEntry("prometheus.io/port", String.valueOf(ports.get("http")));

    // probes: liveness = the process is alive (management /alive), readiness = /ready on http
    Probe live = c.getLivenessProbe();
    Probe ready = c.getReadinessProbe();
    assertThat(live.getHttpGet().getPort().getStrVal()).isEqualTo("management");
    assertThat(live.getHttpGet().getPath()).isEqualTo("/"
        + defaults.getString("pekko.management.health-checks.liveness-path"));
    assertThat(ready.getHttpGet().getPort().getStrVal()).isEqualTo("http");
    assertThat(ready.getHttpGet().getPath()).isEqualTo("/ready");
    assertThat(ports).containsKeys(live.getHttpGet().getPort().getStrVal(),
        ready.getHttpGet().getPort().getStrVal());

    // volumes: the claim template is mounted where the configured data directory and key live
    assertThat(sts.getSpec().getVolumeClaimTemplates()).hasSize(1);
    String claim = sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName();
    assertThat(claim).isEqualTo(KubernetesManifests.CLAIM_TEMPLATE);
    String dataMount = mountPath(c, claim);
    assertThat(dataMount).isEqualTo(KubernetesManifests.VOLUME_MOUNT);
    assertThat(nodeConf.getString("bftlab.data-dir")).startsWith(dataMount + "/");
    assertThat(nodeConf.getString("bftlab.private-key")).isEqualTo(KubernetesManifests.KEY_FILE)
        .startsWith(dataMount + "/");
    // the config file and the genesis are where the node is told to look
    assertThat(c.getArgs()).containsExactly("node", "--config",
        mountPath(c, volumeOfConfigMap(pod, "bftlab-config")) + "/node.conf");
    assertThat(nodeConf.getString("bftlab.genesis")).isEqualTo(
        mountPath(c, volumeOfConfigMap(pod, KubernetesManifests.GENESIS_CONFIGMAP))
            + "/genesis.json");
    assertThat(nodeConf.getString("bftlab.http.host")).isEqualTo("0.0.0.0");

    // CPU requested, never limited
    assertThat(c.getResources().getRequests()).containsKey("cpu");
    assertThat(c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits())
        .doesNotContainKey("cpu");

    // a grace period longer than coordinated shutdown can take
    long shutdown = coordinatedShutdownSeconds(defaults);
    assertThat(shutdown).isGreaterThan(0);
    assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(shutdown);

    // non-root, read-only root file system, for every container that runs (pods and Jobs)
    List<PodSpec> specs = new ArrayList<>(List.of(pod));
    all(all, Job.class).forEach(j -> specs.add(j.getSpec().getTemplate().getSpec()));
    for (PodSpec s : specs) {
      assertThat(s.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(s.getSecurityContext().getRunAsUser()).isPositive();
      List<Container> cs = new ArrayList<>(s.getContainers());
      if (s.getInitContainers() != null) {
        cs.addAll(s.getInitContainers());
      }
      for (Container x : cs) {
        assertThat(x.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(x.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      }
    }

    // RBAC: a dedicated ServiceAccount; get, watch, list on pods, nothing more
    assertThat(pod.getServiceAccountName()).isEqualTo(KubernetesManifests.NAME);
    one(all, ServiceAccount.class, pod.getServiceAccountName());
    List<Role> roles = all(all, Role.class);
    assertThat(roles).hasSize(1);
    assertThat(roles.get(0).getRules()).hasSize(1);
    PolicyRule rule = roles.get(0).getRules().get(0);
    assertThat(rule.getApiGroups()).containsExactly("");
    assertThat(rule.getResources()).containsExactly("pods");
    assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "watch", "list");
    assertThat(rule.getResourceNames()).isNullOrEmpty();
    RoleBinding rb = all(all, RoleBinding.class).get(0);
    assertThat(rb.getRoleRef().getName()).isEqualTo(roles.get(0).getMetadata().getName());
    assertThat(rb.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(pod.getServiceAccountName());
    });

    // keys: Secret bftlab-node-i holds node-i's key (matching the genesis); only Job i mounts
    // it, onto claim data-bftlab-i; the StatefulSet's pods mount no Secret at all
    assertThat(pod.getVolumes()).noneMatch(v -> v.getSecret() != null
        || (v.getProjected() != null && v.getProjected().getSources().stream()
            .anyMatch(s -> s.getSecret() != null)));
    List<Secret> secrets = all(all, Secret.class);
    List<Job> jobs = all(all, Job.class);
    assertThat(secrets).hasSize(n);
    assertThat(jobs).hasSize(n);
    for (GenesisNode g : genesis.nodes()) {
      NodeId id = g.id();
      Secret s = one(all, Secret.class, KubernetesManifests.secretName(id));
      byte[] pem = s.getStringData().get("node.key").getBytes(StandardCharsets.UTF_8);
      assertThat(publicKeyOf(pem)).isEqualTo(g.publicKey());
      Job job = one(all, Job.class, KubernetesManifests.NAME + "-key-" + id.index());
      List<Volume> vs = job.getSpec().getTemplate().getSpec().getVolumes();
      assertThat(vs).filteredOn(v -> v.getSecret() != null).singleElement()
          .satisfies(v -> {
            assertThat(v.getSecret().getSecretName()).isEqualTo(s.getMetadata().getName());
            assertThat(v.getSecret().getDefaultMode()).isEqualTo(0400);
          });
      assertThat(vs).filteredOn(v -> v.getPersistentVolumeClaim() != null).singleElement()
          .satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
              .isEqualTo(claim + "-" + sts.getMetadata().getName() + "-" + id.index()));
      Container installer = job.getSpec().getTemplate().getSpec().getContainers().get(0);
      assertThat(String.join("\n", installer.getCommand())).contains(KubernetesManifests.KEY_FILE);
      assertThat(mountPath(installer, claim)).isEqualTo(dataMount);
    }
  }

  private static Genesis genesisOf(List<HasMetadata> all) {
    ConfigMap cm = one(all, ConfigMap.class, KubernetesManifests.GENESIS_CONFIGMAP);
    return Genesis.fromJson(cm.getData().get("genesis.json"));
  }

  private static Config nodeConf(List<HasMetadata> all) {
    ConfigMap cm = one(all, ConfigMap.class, "bftlab-config");
    return ConfigFactory.parseString(cm.getData().get("node.conf"));
  }

  private static String publicKeyOf(byte[] pem) {
    try {
      Path f = Files.createTempFile("k8s-key", ".pem");
      try {
        Files.write(f, pem);
        return Ed25519KeyPair.fromPrivateKey(KeyFiles.readPrivateKey(f)).publicKeyBase64();
      } finally {
        Files.delete(f);
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The longest path through Pekko's coordinated-shutdown phases, in seconds. */
  static long coordinatedShutdownSeconds(Config c) {
    Config phases = c.getConfig("pekko.coordinated-shutdown.phases");
    long fallback = c.getDuration("pekko.coordinated-shutdown.default-phase-timeout").toSeconds();
    Map<String, Long> memo = new HashMap<>();
    long max = 0;
    for (String phase : phases.root().keySet()) {
      max = Math.max(max, longest(phase, phases, fallback, memo));
    }
    return max;
  }

  private static long longest(String phase, Config phases, long fallback, Map<String, Long> memo) {
    Long known = memo.get(phase);
    if (known != null) {
      return known;
    }
    Config p = phases.getConfig("\"" + phase + "\"");
    long own = p.hasPath("timeout") ? p.getDuration("timeout").toSeconds() : fallback;
    long before = 0;
    if (p.hasPath("depends-on")) {
      for (String d : p.getStringList("depends-on")) {
        before = Math.max(before, longest(d, phases, fallback, memo));
      }
    }
    memo.put(phase, own + before);
    return own + before;
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
        .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
  }

  private static String fieldRef(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name))
        .map(e -> e.getValueFrom().getFieldRef().getFieldPath()).findFirst()
        .orElseThrow(() -> new AssertionError("no env " + name));
  }

  private static String mountPath(Container c, String volume) {
    return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume))
        .map(VolumeMount::getMountPath).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + volume));
  }

  private static String volumeOfConfigMap(PodSpec pod, String configMap) {
    return pod.getVolumes().stream()
        .filter(v -> v.getConfigMap() != null && v.getConfigMap().getName().equals(configMap))
        .map(Volume::getName).findFirst()
        .orElseThrow(() -> new AssertionError("no volume of ConfigMap " + configMap));
  }

  private static <T extends HasMetadata> List<T> all(List<HasMetadata> all, Class<T> type) {
    return all.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static <T extends HasMetadata> T one(List<HasMetadata> all, Class<T> type, String name) {
    List<T> hits = all(all, type).stream().filter(o -> o.getMetadata().getName().equals(name))
        .toList();
    assertThat(hits).as(type.getSimpleName() + " " + name).hasSize(1);
    return hits.get(0);
  }

}
