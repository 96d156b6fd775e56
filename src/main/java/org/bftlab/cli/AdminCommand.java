package org.bftlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bftlab.api.AdminSignature;
import org.bftlab.core.model.NodeId;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.KeyFiles;
import org.bftlab.crypto.KeyPermissions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bftlab admin faults put|delete|list}: calls the nodes' admin routes with requests signed
 * by an operator key listed under {@code admins} in the genesis file ({@link AdminSignature}).
 * Exit codes: 0 every node answered 2xx; 2 a node refused (its JSON error is printed); 3 a node
 * was unreachable; 4 bad usage or an unreadable genesis or key.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
    description = "Operator commands, signed with an admin key of the genesis file.",
    subcommands = {AdminCommand.Faults.class})
public final class AdminCommand implements Callable<Integer> {
  static final int EXIT_REFUSED = 2;
  static final int EXIT_UNREACHABLE = 3;
  static final int EXIT_USAGE = 4;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** Options of every admin command. */
  public static final class Common {
    @Option(names = "--genesis", paramLabel = "FILE", defaultValue = "cluster-configs/local-4/genesis.json",
        description = "Genesis file. Default: ${DEFAULT-VALUE}.")
    Path genesis;

    @Option(names = "--admin-id", paramLabel = "ID", defaultValue = "admin-0",
        description = "The admin, as listed in the genesis. Default: ${DEFAULT-VALUE}.")
    String adminId;

    @Option(names = "--admin-key", paramLabel = "FILE",
        description = "The admin's private key. Default: <genesis dir>/admins/<admin-id>.key.")
    Path adminKey;

    @Option(names = "--node", paramLabel = "ID",
        description = "A node to call, e.g. node-1 (repeatable). Default: every node.")
    List<String> nodes = new ArrayList<>();

    /** Signs {@code method /admin/faults} with {@code body} for each chosen node and prints the answers. */
    int call(PrintWriter out, PrintWriter err, String method, String body) {
      Genesis g;
      Ed25519.SigningKey key;
      List<NodeId> targets = new ArrayList<>();
      try {
        g = Genesis.read(genesis);
        Path keyFile = adminKey != null ? adminKey
            : genesis.toAbsolutePath().getParent().resolve("admins").resolve(adminId + ".key");
        KeyPermissions.requireOwnerOnly(keyFile);
        key = Ed25519.signingKey(KeyFiles.readPrivateKey(keyFile));
        if (g.admins().isEmpty()) {
          err.println("admin: " + genesis + " lists no admins, so the nodes' admin routes are off");
          err.flush();
          return EXIT_USAGE;
        }
        for (String n : nodes) {
          targets.add(NodeId.parse(n));
        }
        if (targets.isEmpty()) {
          targets.addAll(g.nodeIds());
        }
      } catch (IOException | RuntimeException e) {
        err.println("admin: " + e.getMessage());
        err.flush();
        return EXIT_USAGE;
      }
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      int exit = 0;
      for (NodeId node : targets) {
        String target = "/admin/faults";
        HttpRequest.Builder b;
        try {
          b = HttpRequest.newBuilder(URI.create(g.httpUrl(node) + target))
              .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
              .method(method, bytes.length == 0 ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofByteArray(bytes));
        } catch (IllegalArgumentException e) {
          err.println("admin: " + e.getMessage());
          err.flush();
          return EXIT_USAGE;
        }
        AdminSignature.headers(adminId, key, g.clusterId(), node.toString(), method, target,
            System.currentTimeMillis(), bytes).forEach(b::header);
        try {
          HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
          (r.statusCode() / 100 == 2 ? out : err).println(node + " " + r.statusCode() + " "
              + r.body());
          if (r.statusCode() / 100 != 2) {
            exit = Math.max(exit, EXIT_REFUSED);
          }
        } catch (IOException e) {
          err.println(node + " unreachable: " + e);
          exit = Math.max(exit, EXIT_UNREACHABLE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return EXIT_UNREACHABLE;
        }
      }
      out.flush();
      err.flush();
      return exit;
    }
  }

  /** {@code admin faults}. */
  @Command(name = "faults", mixinStandardHelpOptions = true,
      description = "Network fault rules on the nodes' outgoing messages.",
      subcommands = {Put.class, Delete.class, ListRules.class})
  public static final class Faults implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getOut());
      return 0;
    }
  }

  /** {@code admin faults put RULES}. */
  @Command(name = "put", mixinStandardHelpOptions = true,
      description = "Install fault rules (replacing those in force), windows in ticks from now.")
  public static final class Put implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Parameters(index = "0", paramLabel = "RULES",
        description = "JSON array of rules as in scenario files, or @FILE, e.g. "
            + "'[{\"rule\":\"drop\",\"probability\":1.0,\"types\":[\"COMMIT\"],\"until\":500}]'")
    String rules;

    @Override
    public Integer call() {
      String body = rules;
      if (rules.startsWith("@")) {
        try {
          body = Files.readString(Path.of(rules.substring(1)));
        } catch (IOException e) {
          spec.commandLine().getErr().println("admin: cannot read " + rules.substring(1) + ": " + e);
          spec.commandLine().getErr().flush();
          return EXIT_USAGE;
        }
      }
      return common.call(spec.commandLine().getOut(), spec.commandLine().getErr(), "PUT", body);
    }
  }

  /** {@code admin faults delete}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Heal: remove every rule.")
  public static final class Delete implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Override
    public Integer call() {
      return common.call(spec.commandLine().getOut(), spec.commandLine().getErr(), "DELETE", "");
    }
  }

  /** {@code admin faults list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "The rules in force.")
  public static final class ListRules implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Common common;

    @Override
    public Integer call() {
      return common.call(spec.commandLine().getOut(), spec.commandLine().getErr(), "GET", "");
    }
  }
}
