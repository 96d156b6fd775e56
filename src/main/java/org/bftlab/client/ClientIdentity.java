package org.bftlab.client;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.bftlab.core.msg.Reply;
import org.bftlab.crypto.Ed25519;
import org.bftlab.crypto.Genesis;
import org.bftlab.crypto.KeyFiles;

/**
 * What the client needs from the genesis file and a client key: the cluster id, f, every
 * node's HTTP URL, and a signing function (Ed25519 over {@link
 * org.bftlab.core.msg.Request#signedBytes()}).
 *
 * <p>The {@code client} command reads it with {@link #fromFiles}; tests may install another
 * {@link Loader} with {@link #setLoader}.
 */
public interface ClientIdentity {
  /** The cluster id every request is bound to. */
  String clusterId();

  /** f, the number of faulty replicas tolerated; a commit needs f+1 matching replies. */
  int f();

  /** Every node's HTTP base URL, in node index order. */
  List<URI> nodeUrls();

  /**
   * Signs canonical bytes with the client's private key.
   *
   * @throws IllegalStateException when no key was loaded
   */
  Function<byte[], byte[]> signer();

  /**
   * Checks a replica's signed REPLY; identities read from a genesis file verify under its
   * replica keys ({@link ReplyVerifier}). Null (the default) checks nothing: for tests against
   * fake nodes only.
   */
  default Predicate<Reply> replyVerifier() {
    return null;
  }

  /** {@link BftlabClient.Options} that verify replies with {@link #replyVerifier()}. */
  default BftlabClient.Options clientOptions() {
    return BftlabClient.Options.defaults().withReplyVerifier(replyVerifier());
  }

  /** Reads an identity from files. */
  @FunctionalInterface
  interface Loader {
    /**
     * @param genesisFile the cluster's genesis file
     * @param keyFile the client's private key file; null when no signing is needed (e.g. for
     *     {@code client status}), in which case {@link #signer()} may throw
     * @throws IOException when a file cannot be read or parsed
     */
    ClientIdentity load(Path genesisFile, Path keyFile) throws IOException;
  }

  /**
   * The loader used by the {@code client} command: {@link #fromFiles} unless a test installs
   * another with {@link #setLoader}.
   */
  AtomicReference<Loader> LOADER = new AtomicReference<>(ClientIdentity::fromFiles);

  /**
   * Reads the genesis file (cluster id, f, node URLs) and, when {@code keyFile} is not null, the
   * client's Ed25519 private key (PEM PKCS#8).
   *
   * @throws IOException naming the file that is missing or malformed
   */
  static ClientIdentity fromFiles(Path genesisFile, Path keyFile) throws IOException {
    Genesis g = Genesis.read(genesisFile);
    Function<byte[], byte[]> signer = null;
    if (keyFile != null) {
      signer = Ed25519.signingKey(
          KeyFiles.readPrivateKey(keyFile))::sign;
    }
    List<URI> urls = g.nodeIds().stream().map(id -> URI.create(g.httpUrl(id))).toList();
    return new FromGenesis(new Simple(g.clusterId(), g.f(), urls, signer),
        ReplyVerifier.fromGenesis(g));
  }

  /** Installs the loader the {@code client} command uses. */
  static void setLoader(Loader loader) {
    LOADER.set(Objects.requireNonNull(loader, "loader"));
  }

  /** The installed loader. */
  static Loader loader() {
    return LOADER.get();
  }

  /**
   * A plain identity.
   *
   * @param signer null when no key is loaded: {@link #signer()} then throws
   */
  static ClientIdentity of(String clusterId, int f, List<URI> nodeUrls,
      Function<byte[], byte[]> signer) {
    return new Simple(clusterId, f, List.copyOf(nodeUrls), signer);
  }

  /** An identity read from a genesis file: replies verify under its replica keys. */
  record FromGenesis(Simple plain, ReplyVerifier replyVerifier) implements ClientIdentity {
    @Override
    public String clusterId() {
      return plain.clusterId();
    }

    @Override
    public int f() {
      return plain.f();
    }

    @Override
    public List<URI> nodeUrls() {
      return plain.nodeUrls();
    }

    @Override
    public Function<byte[], byte[]> signer() {
      return plain.signer();
    }
  }

  /** The record behind {@link #of}. */
  record Simple(String clusterId, int f, List<URI> nodeUrls, Function<byte[], byte[]> key)
      implements ClientIdentity {
    @Override
    public Function<byte[], byte[]> signer() {
      if (key == null) {
        throw new IllegalStateException("no client key was loaded for cluster " + clusterId);
      }
      return key;
    }
  }
}
