package org.bftlab.core.quorum;

/**
 * Quorum sizes for n = 3f+1 replicas (Castro &amp; Liskov OSDI'99 §4, TOCS'02 §2.3).
 *
 * @param n number of replicas; must be of the form 3f+1 and >= 4
 */
public record Quorums(int n) {
  public Quorums {
    if (n < 4 || (n - 1) % 3 != 0) {
      throw new IllegalArgumentException("PBFT needs n = 3f+1 >= 4 replicas, got n = " + n);
    }
  }

  /** f = (n-1)/3, the most faulty replicas tolerated. */
  public int f() {
    return (n - 1) / 3;
  }

  /** 2f: matching PREPAREs from distinct backups needed, with the PRE-PREPARE, to be prepared. */
  public int prepare() {
    return 2 * f();
  }

  /** 2f+1: matching COMMITs for committed-local, CHECKPOINTs for stable, VIEW-CHANGEs for NEW-VIEW. */
  public int commit() {
    return 2 * f() + 1;
  }

  /** f+1: matching REPLYs a client needs; VIEW-CHANGEs for higher views that make a replica join. */
  public int weak() {
    return f() + 1;
  }
}
