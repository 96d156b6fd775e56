package org.bftlab.core.msg;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bftlab.core.model.Digest;

/**
 * A Merkle tree over a list of leaf digests, built as in RFC 6962 §2.1 (Certificate
 * Transparency; the same shape Microsoft CCF uses for its receipts):
 *
 * <ul>
 *   <li>leaf hash = SHA-256(0x00 || leaf), where leaf is the 32 raw bytes of the leaf digest;
 *   <li>node hash = SHA-256(0x01 || left || right);
 *   <li>for n &gt; 1 leaves, the left subtree holds the largest power of two k &lt; n leaves and
 *       the right subtree the remaining n − k (so trees of odd size are not padded);
 *   <li>the root of the empty tree is {@link Digest#ZERO} (bftlab's choice; RFC 6962 uses
 *       SHA-256 of the empty string).
 * </ul>
 *
 * <p>{@link #inclusionProof(int)} gives the audit path PATH(m, D[n]) of RFC 6962 §2.1.1, and
 * {@link #verify} checks it with the algorithm of RFC 9162 §2.1.3.2. Immutable.
 */
public final class MerkleTree {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;

  private final List<Digest> leaves;
  /**
   * MTH(D[from:to]) of every subtree, keyed by {@code from << 32 | to}: 2n - 1 digests, filled
   * once while the root is computed, so that each audit path reads them instead of re-hashing
   * (all n paths cost O(n log n) lookups, not O(n^2) hashes) and the paths of one tree share
   * their digests. Read-only after the constructor.
   */
  private final Map<Long, Digest> subtrees = new HashMap<>();
  private final Digest root;

  /**
   * Builds the tree.
   *
   * @param leaves the leaf digests in order (may be empty; no nulls)
   */
  public MerkleTree(List<Digest> leaves) {
    this.leaves = List.copyOf(leaves);
    this.root = this.leaves.isEmpty() ? Digest.ZERO : subtreeRoot(0, this.leaves.size());
  }

  /** The root of the tree over {@code leaves}; {@link Digest#ZERO} when empty. */
  public static Digest rootOf(List<Digest> leaves) {
    // the root alone needs no subtree map (one per block on the commit path): hash straight up
    return leaves.isEmpty() ? Digest.ZERO : mth(leaves, 0, leaves.size(), null);
  }

  /** The root (Merkle tree hash, MTH). */
  public Digest root() {
    return root;
  }

  /** Number of leaves. */
  public int size() {
    return leaves.size();
  }

  /** The leaf digest at {@code index}. */
  public Digest leaf(int index) {
    return leaves.get(index);
  }

  /**
   * The inclusion proof (audit path) of the leaf at {@code index}: sibling subtree roots from
   * the leaf up to the root (RFC 6962 §2.1.1). Empty for a one-leaf tree.
   *
   * @throws IndexOutOfBoundsException unless {@code 0 <= index < size()}
   */
  public List<Digest> inclusionProof(int index) {
    Objects.checkIndex(index, leaves.size());
    List<Digest> path = new ArrayList<>();
    path(index, 0, leaves.size(), path);
    return List.copyOf(path);
  }

  /**
   * Checks that {@code leaf} is the leaf at {@code index} of a tree of {@code size} leaves whose
   * root is {@code root} (RFC 9162 §2.1.3.2). Never throws for bad input: returns false.
   *
   * @param leaf the leaf digest (not yet leaf-hashed)
   * @param index the leaf's index, {@code 0 <= index < size}
   * @param size the tree size (number of leaves)
   * @param proof the audit path from {@link #inclusionProof(int)}
   * @param root the expected root
   */
  public static boolean verify(Digest leaf, long index, long size, List<Digest> proof, Digest root) {
    return root != null && rootFromPath(leaf, index, size, proof).filter(root::equals).isPresent();
  }

  /**
   * The root of a tree of {@code size} leaves whose leaf at {@code index} is {@code leaf} and
   * whose audit path from that leaf is {@code proof} (RFC 9162 §2.1.3.2, without the final
   * comparison). Never throws for bad input: empty when the arguments cannot describe such a
   * tree (index outside the size, a path of the wrong length, a null element).
   */
  public static java.util.Optional<Digest> rootFromPath(Digest leaf, long index, long size,
      List<Digest> proof) {
    if (leaf == null || proof == null || index < 0 || index >= size) {
      return java.util.Optional.empty();
    }
    long fn = index;
    long sn = size - 1;
    Digest r = leafHash(leaf);
    for (Digest p : proof) {
      if (p == null || sn == 0) {
        return java.util.Optional.empty();
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = nodeHash(p, r);
        if ((fn & 1) == 0) {
          while ((fn & 1) == 0 && fn != 0) {
            fn >>= 1;
            sn >>= 1;
          }
        }
      } else {
        r = nodeHash(r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn == 0 ? java.util.Optional.of(r) : java.util.Optional.empty();
  }

  /** SHA-256(0x00 || leaf). */
  public static Digest leafHash(Digest leaf) {
    return Digest.sha256(LEAF_PREFIX, leaf);
  }

  /** SHA-256(0x01 || left || right). */
  public static Digest nodeHash(Digest left, Digest right) {
    return Digest.sha256(NODE_PREFIX, left, right);
  }

  /** MTH(D[from:to]), to - from >= 1, computed once per subtree ({@link #subtrees}). */
  private Digest subtreeRoot(int from, int to) {
    return mth(leaves, from, to, subtrees);
  }

  /** MTH(D[from:to]), to - from >= 1; each subtree's digest read from and kept in memo if given. */
  private static Digest mth(List<Digest> leaves, int from, int to, Map<Long, Digest> memo) {
    Long key = memo == null ? null : ((long) from << 32) | to;
    Digest known = key == null ? null : memo.get(key);
    if (known != null) {
      return known;
    }
    int n = to - from;
    Digest d;
    if (n == 1) {
      d = leafHash(leaves.get(from));
    } else {
      int k = largestPowerOfTwoBelow(n);
      d = nodeHash(mth(leaves, from, from + k, memo), mth(leaves, from + k, to, memo));
    }
    if (key != null) {
      memo.put(key, d);
    }
    return d;
  }

  /** PATH(m, D[from:to]), appended leaf-first. */
  private void path(int m, int from, int to, List<Digest> out) {
    int n = to - from;
    if (n <= 1) {
      return;
    }
    int k = largestPowerOfTwoBelow(n);
    if (m < k) {
      path(m, from, from + k, out);
      out.add(subtreeRoot(from + k, to));
    } else {
      path(m - k, from + k, to, out);
      out.add(subtreeRoot(from, from + k));
    }
  }

  /** The largest power of two strictly less than {@code n} (n >= 2). */
  private static int largestPowerOfTwoBelow(int n) {
    return Integer.highestOneBit(n - 1);
  }
}
