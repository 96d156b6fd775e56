package org.bftlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bftlab.crypto.CryptoGen;
import org.bftlab.crypto.GenesisNode;
import org.bftlab.node.k8s.KubernetesManifests;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bftlab cryptogen}: writes a cluster's CA, node and client keys and certificates and
 * its genesis file (see {@link CryptoGen}). Exit code 0 on success, 1 when the output exists
 * and {@code --force} was not given or writing failed, 2 for invalid options.
 */
@Command(
    name = "cryptogen",
    mixinStandardHelpOptions = true,
    description = {
        "Generates a cluster's membership: an Ed25519 CA certificate, a key pair and a CA-signed "
            + "certificate per node and per client, and genesis.json (node ids, addresses, "
            + "public keys).",
        "Layout: DIR/genesis.json, DIR/ca.crt, DIR/nodes/node-i.{key,crt}, "
            + "DIR/clients/client-j.{key,crt}. Private keys are PEM PKCS#8, mode 0600."})
public final class CryptogenCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--nodes", paramLabel = "N", defaultValue = "4",
      description = "Number of replicas n = 3f+1 >= 4 (4, 7, 10, ...). Default: ${DEFAULT-VALUE}.")
  int nodes;

  @Option(names = "--clients", paramLabel = "M", defaultValue = "2",
      description = "Number of clients (>= 1). Default: ${DEFAULT-VALUE}.")
  int clients;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Output directory (created if missing). Required unless --k8s is given.")
  Path out;

  @Option(names = "--k8s", paramLabel = "DIR",
      description = "Write a Kubernetes cluster into DIR: keys and genesis for StatefulSet pods "
          + "(bftlab-i.bftlab, fixed ports) plus a kustomization over --k8s-base with the genesis "
          + "ConfigMap, one Secret and one key Job per replica, replicas: N and the "
          + "PodDisruptionBudget's maxUnavailable: f (see k8s/README.md).")
  Path k8s;

  @Option(names = "--k8s-base", paramLabel = "DIR", defaultValue = "k8s/base",
      description = "The base manifests the --k8s kustomization refers to. Default: ${DEFAULT-VALUE}.")
  Path k8sBase;

  @Option(names = "--cluster-id", paramLabel = "ID", defaultValue = "bftlab-local",
      description = "Cluster id, 1..64 of [A-Za-z0-9._-]; bound into every signature. "
          + "Default: ${DEFAULT-VALUE}.")
  String clusterId;

  @Option(names = "--host", defaultValue = "127.0.0.1",
      description = "Host of every node. Default: ${DEFAULT-VALUE}.")
  String host;

  @Option(names = "--base-pekko-port", paramLabel = "PORT", defaultValue = "25520",
      description = "Pekko port of node-0; node-i gets PORT+i. Default: ${DEFAULT-VALUE}.")
  int basePekkoPort;

  @Option(names = "--base-http-port", paramLabel = "PORT", defaultValue = "8080",
      description = "HTTP port of node-0; node-i gets PORT+i. Default: ${DEFAULT-VALUE}.")
  int baseHttpPort;

  @Option(names = "--force",
      description = "Overwrite existing output (replaces the cluster's keys).")
  boolean force;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter outw = spec.commandLine().getOut();
    if (k8s != null && out != null && !k8s.toAbsolutePath().normalize().equals(
        out.toAbsolutePath().normalize())) {
      err.println("cryptogen: --k8s DIR writes keys and manifests into DIR; drop --out");
      err.flush();
      return 2;
    }
    if (out == null && k8s == null) {
      err.println("cryptogen: missing --out DIR (or --k8s DIR)");
      err.flush();
      return 2;
    }
    if (out == null) {
      out = k8s;
    }
    CryptoGen.Options options;
    try {
      options = new CryptoGen.Options(clusterId, nodes, clients, out, host, basePekkoPort,
          baseHttpPort, force);
    } catch (IllegalArgumentException e) {
      err.println("cryptogen: " + e.getMessage());
      err.flush();
      return 2;
    }
    CryptoGen.Result result;
    try {
      if (k8s != null) {
        var r = KubernetesManifests.generate(options, k8sBase);
        result = new CryptoGen.Result(r.genesis(), out.resolve(CryptoGen.GENESIS_FILE), r.files());
        if (!Files.isDirectory(k8sBase)) {
          err.println("cryptogen: warning: the base " + k8sBase + " does not exist here; the "
              + "kustomization refers to it by a relative path");
          err.flush();
        }
      } else {
        result = CryptoGen.generate(options);
      }
    } catch (FileAlreadyExistsException e) {
      err.println("cryptogen: " + e.getFile() + " " + e.getReason());
      err.flush();
      return 1;
    } catch (IOException e) {
      err.println("cryptogen: cannot write " + out + ": " + e.getMessage());
      err.flush();
      return 1;
    }
    var g = result.genesis();
    outw.printf("cluster %s: n = %d nodes (f = %d), %d clients%n", g.clusterId(), g.n(), g.f(),
        g.clients().size());
    for (GenesisNode n : g.nodes()) {
      outw.printf("  %-8s pekko %s:%d  http %s  key %s%n", n.id(), n.host(), n.pekkoPort(),
          n.httpUrl(), n.publicKey());
    }
    outw.printf("wrote %d files:%n", result.files().size());
    for (Path p : result.files()) {
      outw.println("  " + p);
    }
    outw.flush();
    return 0;
  }
}
