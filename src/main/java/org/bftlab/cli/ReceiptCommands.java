package org.bftlab.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.bftlab.client.BftlabClient;
import org.bftlab.client.ClientIdentity;
import org.bftlab.client.ReceiptFiles;
import org.bftlab.core.ledger.Receipt;
import org.bftlab.crypto.Genesis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code bftlab client receipt TXID} (fetch a transaction's receipt, print or save it) and
 * {@code bftlab client verify-receipt FILE} (check one offline with the genesis file only).
 */
final class ReceiptCommands {
  /** Exit code of verify-receipt: the receipt is rejected (forged, truncated, other cluster). */
  static final int EXIT_INVALID = 1;

  private ReceiptCommands() {}

  /** {@code client receipt TXID [--out FILE]}. */
  @Command(name = "receipt", mixinStandardHelpOptions = true,
      description = "Fetch a transaction's receipt (block header, Merkle path, 2f+1 signed"
          + " checkpoint) from a node; print it or save it with --out.")
  static final class Fetch implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientCommand.Common common;

    @Parameters(index = "0", paramLabel = "TXID", description = "The transaction id (64 hex).")
    String txId;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the receipt JSON here.")
    Path out;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter stdout = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      ClientIdentity id = common.identityOrReport(err);
      if (id == null) {
        return ClientCommand.EXIT_USAGE;
      }
      List<URI> nodes = common.nodesOf(id);
      try (BftlabClient client = common.queryClient(id, "receipt")) {
        Optional<Receipt> r = Optional.empty();
        for (int i = 0; i < nodes.size() && r.isEmpty(); i++) {
          r = client.receipt(txId).get();
        }
        if (r.isEmpty()) {
          err.println("error: no receipt for " + txId + " yet (not committed, or above the last"
              + " stable checkpoint); retry later");
          return ClientCommand.EXIT_TIMEOUT;
        }
        String json = ReceiptFiles.toJson(r.get());
        if (out != null) {
          Files.writeString(out, json);
          stdout.println("receipt of " + txId + " (block " + r.get().blockHeight()
              + ", checkpoint " + r.get().checkpointSeqNo() + ") written to " + out + ", "
              + json.length() + " bytes");
        } else {
          stdout.println(json);
        }
        stdout.flush();
        return 0;
      } catch (ExecutionException e) {
        err.println("error: " + e.getCause().getMessage());
        return ClientCommand.EXIT_TIMEOUT;
      } catch (IOException e) {
        err.println("error: " + e.getMessage());
        return ClientCommand.EXIT_USAGE;
      }
    }
  }

  /** {@code client verify-receipt FILE --genesis genesis.json}. */
  @Command(name = "verify-receipt", mixinStandardHelpOptions = true,
      description = "Check a receipt offline with only the genesis file: the Merkle path to the"
          + " block's root, the header chain to the certified checkpoint, 2f+1 distinct valid"
          + " member signatures. Exit 0 valid, 1 rejected (the reason is printed), 4 unreadable.")
  static final class Verify implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The receipt (JSON).")
    Path file;

    @Option(names = "--genesis", paramLabel = "FILE",
        description = "Genesis file. Default: ${DEFAULT-VALUE}.",
        defaultValue = "cluster-configs/local-4/genesis.json")
    Path genesis;

    @Override
    public Integer call() {
      PrintWriter stdout = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Genesis g;
      try {
        g = Genesis.read(genesis);
      } catch (IOException | RuntimeException e) {
        err.println("error: genesis " + genesis + ": " + e.getMessage());
        return ClientCommand.EXIT_USAGE;
      }
      Receipt r;
      try {
        r = ReceiptFiles.read(file);
      } catch (IOException e) {
        err.println("INVALID: " + file + ": " + e.getMessage());
        err.flush();
        return EXIT_INVALID;
      }
      long start = System.nanoTime();
      Optional<String> why = ReceiptFiles.verifier(g).check(r);
      long micros = (System.nanoTime() - start) / 1000;
      if (why.isPresent()) {
        err.println("INVALID: " + why.get());
        err.flush();
        return EXIT_INVALID;
      }
      stdout.println("VALID: transaction " + r.txId() + " is in block " + r.blockHeight()
          + " (index " + r.txIndex() + ", " + r.code() + "), certified by "
          + r.certificate().size() + " replicas at checkpoint " + r.checkpointSeqNo()
          + " of cluster " + g.clusterId() + " (checked in " + micros + " µs)");
      stdout.flush();
      return 0;
    }
  }
}
