package org.bftlab.node.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.Genesis;

/**
 * {@code bftlab cryptogen --k8s OUT}: a cluster's keys and genesis (as {@link CryptoGen}) for
 * StatefulSet pods, plus the Kubernetes objects that carry them, as a kustomization over the
 * base manifests in {@code k8s/base}:
 *
 * <pre>
 * kustomization.yaml       resources: the base, the files below; replicas: n; PDB maxUnavailable: f
 * genesis-configmap.yaml   ConfigMap bftlab-genesis (genesis.json)
 * node-secrets.yaml        Secret bftlab-node-i per replica (node.key, node.crt)
 * key-jobs.yaml            Job bftlab-key-i per replica: copies Secret bftlab-node-i onto
 *                          replica i's own volume (claim data-bftlab-i), nothing else
 * genesis.json, ca.crt, nodes/, clients/   as cryptogen writes them (clients/ for ./bftlab client)
 * </pre>
 *
 * <p>Replica i's genesis host is {@code bftlab-i.bftlab} (its name under the headless Service),
 * Pekko port {@value #PEKKO_PORT}, HTTP port {@value #HTTP_PORT}. A pod mounts only its own
 * volume, so pod i sees only its own key (k8s/README.md: "Keys").
 */
public final class KubernetesManifests {
  /** StatefulSet, headless Service, ServiceAccount, PDB name and the pods' {@code app} label. */
  public static final String NAME = "bftlab";
  /** The image the manifests run. */
  public static final String IMAGE = "bftlab:0.1.0";
  /** Container ports (named remoting, management, http). */
  public static final int PEKKO_PORT = 25520;
  public static final int MANAGEMENT_PORT = 8558;
  public static final int HTTP_PORT = 8080;
  /** The volumeClaimTemplate's name: pod i's claim is {@code data-bftlab-i}. */
  public static final String CLAIM_TEMPLATE = "data";
  /** Where each pod's volume is mounted. */
  public static final String VOLUME_MOUNT = "/var/lib/bftlab";
  /** Where the key Job puts a replica's key on its volume. */
  public static final String KEY_FILE = VOLUME_MOUNT + "/key/node.key";
  /** The genesis ConfigMap. */
  public static final String GENESIS_CONFIGMAP = NAME + "-genesis";

  private KubernetesManifests() {}

  /** Secret holding replica {@code id}'s key: {@code bftlab-node-i}. */
  public static String secretName(NodeId id) {
    return NAME + "-node-" + id.index();
  }

  /** Replica {@code id}'s volume claim: {@code data-bftlab-i}. */
  public static String claimName(NodeId id) {
    return CLAIM_TEMPLATE + "-" + NAME + "-" + id.index();
  }

  /** Replica {@code id}'s genesis host: its pod's name under the headless Service. */
  public static String podHost(NodeId id) {
    return NAME + "-" + id.index() + "." + NAME;
  }

  /**
   * What was written.
   *
   * @param genesis the membership
   * @param files every file written
   */
  public record Result(Genesis genesis, List<Path> files) {}

  /**
   * Generates keys and genesis into {@code options.out()} (host and ports of {@code options}
   * are replaced by the pods' names and the fixed container ports) and the manifests.
   *
   * @param base the base kustomization directory ({@code k8s/base}); written relative to the
   *     output directory
   * @throws FileAlreadyExistsException when a file exists and {@code options.force()} is false
   */
  public static Result generate(CryptoGen.Options options, Path base) throws IOException {
    Path out = options.out();
    List<String> names = List.of("kustomization.yaml", "genesis-configmap.yaml",
        "node-secrets.yaml", "key-jobs.yaml");
    if (!options.force()) {
      for (String n : names) {
        if (Files.exists(out.resolve(n))) {
          throw new FileAlreadyExistsException(out.resolve(n).toString(), null, "already exists; "
              + "refusing to overwrite (use --force to replace it)");
        }
      }
    }
    CryptoGen.Result keys = CryptoGen.generate(options, new SecureRandom(), Instant.now(),
        new CryptoGen.Endpoints() {
          @Override
          public String host(NodeId id) {
            return podHost(id);
          }

          @Override
          public int pekkoPort(NodeId id) {
            return PEKKO_PORT;
          }

          @Override
          public int httpPort(NodeId id) {
            return HTTP_PORT;
          }
        });
    Genesis g = keys.genesis();
    List<Path> files = new ArrayList<>(keys.files());
    files.add(write(out.resolve("genesis-configmap.yaml"), genesisConfigMap(g)));
    files.add(write(out.resolve("node-secrets.yaml"), secrets(g, out)));
    files.add(write(out.resolve("key-jobs.yaml"), keyJobs(g)));
    String rel = out.toAbsolutePath().normalize().relativize(base.toAbsolutePath().normalize())
        .toString().replace('\\', '/');
    files.add(write(out.resolve("kustomization.yaml"), kustomization(g, rel)));
    return new Result(g, files);
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  static String kustomization(Genesis g, String base) {
    return """
        # Generated by ./bftlab cryptogen --nodes %1$d --k8s: cluster %2$s, n = %1$d, f = %3$d.
        # kubectl apply -k <this directory>   (see k8s/README.md)
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - %4$s
          - genesis-configmap.yaml
          - node-secrets.yaml
          - key-jobs.yaml
        # n = 3f+1 replicas: the pod ordinal is the replica id (bftlab-i is node-i)
        replicas:
          - name: %5$s
            count: %1$d
        # a voluntary disruption never takes more than f replicas down
        patches:
          - target:
              group: policy
              version: v1
              kind: PodDisruptionBudget
              name: %5$s
            patch: |-
              - op: replace
                path: /spec/maxUnavailable
                value: %3$d
        """.formatted(g.n(), g.clusterId(), g.f(), base, NAME);
  }

  static String genesisConfigMap(Genesis g) {
    return """
        # The cluster's membership (PBFT replicas and clients); the same file on every pod.
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: %s
          labels:
            app.kubernetes.io/name: %s
            app.kubernetes.io/component: genesis
        data:
          genesis.json: |
        %s""".formatted(GENESIS_CONFIGMAP, NAME, indent(g.toJson(), 4));
  }

  static String secrets(Genesis g, Path out) throws IOException {
    StringBuilder b = new StringBuilder(
        "# One Secret per replica: its Ed25519 private key and certificate. Only Job bftlab-key-i\n"
            + "# mounts Secret bftlab-node-i; it copies the key onto replica i's own volume.\n");
    for (NodeId id : g.nodeIds()) {
      String key = Files.readString(out.resolve("nodes").resolve(id + ".key"));
      String crt = Files.readString(out.resolve("nodes").resolve(id + ".crt"));
      b.append("""
          ---
          apiVersion: v1
          kind: Secret
          metadata:
            name: %s
            labels:
              app.kubernetes.io/name: %s
              app.kubernetes.io/component: replica-key
              bftlab.org/node-id: %s
          type: Opaque
          stringData:
            node.key: |
          %s
            node.crt: |
          %s""".formatted(secretName(id), NAME, id, indent(key, 4).stripTrailing(),
          indent(crt, 4)));
    }
    return b.toString();
  }

  static String keyJobs(Genesis g) {
    StringBuilder b = new StringBuilder("""
        # One Job per replica: puts Secret bftlab-node-i's key on claim data-bftlab-i (the volume
        # the StatefulSet gives pod bftlab-i), so pod i mounts its own key and no other. The Job
        # waits for the claim, which the StatefulSet creates with pod i; pod i's init container
        # waits for the key. It refuses to replace a different key already on the volume.
        """);
    for (NodeId id : g.nodeIds()) {
      b.append("""
          ---
          apiVersion: batch/v1
          kind: Job
          metadata:
            name: %1$s-key-%2$d
            labels:
              app.kubernetes.io/name: %1$s
              app.kubernetes.io/component: key-loader
              bftlab.org/node-id: %3$s
          spec:
            backoffLimit: 10
            template:
              metadata:
                labels:
                  app.kubernetes.io/name: %1$s
                  app.kubernetes.io/component: key-loader
              spec:
                restartPolicy: OnFailure
                securityContext:
                  runAsNonRoot: true
                  runAsUser: 10001
                  runAsGroup: 10001
                  fsGroup: 10001
                  seccompProfile:
                    type: RuntimeDefault
                containers:
                  - name: install-key
                    image: %4$s
                    imagePullPolicy: IfNotPresent
                    command:
                      - sh
                      - -c
                      - |
                        set -e
                        mkdir -p %5$s/key
                        if [ -f %6$s ]; then
                          if cmp -s /secret/node.key %6$s; then echo "key of %3$s already in place"; exit 0; fi
                          echo "a different key is already on this volume; refusing to replace it" >&2; exit 1
                        fi
                        cp /secret/node.key %6$s.tmp
                        cp /secret/node.crt %5$s/key/node.crt
                        chmod 0400 %6$s.tmp
                        mv %6$s.tmp %6$s
                        echo "key of %3$s installed"
                    securityContext:
                      readOnlyRootFilesystem: true
                      allowPrivilegeEscalation: false
                      capabilities:
                        drop:
                          - ALL
                    volumeMounts:
                      - name: key
                        mountPath: /secret
                        readOnly: true
                      - name: %7$s
                        mountPath: %5$s
                volumes:
                  - name: key
                    secret:
                      secretName: %8$s
                      defaultMode: 256  # 0400: owner read only
                  - name: %7$s
                    persistentVolumeClaim:
                      claimName: %9$s
          """.formatted(NAME, id.index(), id, IMAGE, VOLUME_MOUNT, KEY_FILE, CLAIM_TEMPLATE,
          secretName(id), claimName(id)));
    }
    return b.toString();
  }

  private static String indent(String text, int n) {
    String pad = " ".repeat(n);
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (!line.isEmpty()) {
        b.append(pad).append(line);
      }
      b.append('\n');
    }
    // split keeps a trailing empty string after the last newline: drop the extra newline
    String s = b.toString();
    return s.endsWith("\n\n") ? s.substring(0, s.length() - 1) : s;
  }
}
