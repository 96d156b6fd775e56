package org.bftlab.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

/**
 * Mutations of a valid input, chosen from a seed so that any case replays: flip bits, truncate,
 * insert random bytes, delete or duplicate a slice, swap two slices (fields), oversize (repeat a
 * slice thousands of times), nest (wrap in hundreds of brackets), splice in a control character.
 */
final class Mutator {
  private Mutator() {}

  /** One to three mutations of {@code valid}, chosen by {@code seed}. */
  static byte[] mutate(byte[] valid, long seed) {
    Random rnd = new Random(seed);
    byte[] b = valid.clone();
    int n = 1 + rnd.nextInt(3);
    for (int i = 0; i < n; i++) {
      b = once(b, rnd);
    }
    return b;
  }

  private static final String[] KINDS = {"flip", "truncate", "insert", "delete", "duplicate",
      "swap", "oversize", "nest", "control"};

  private static byte[] once(byte[] b, Random rnd) {
    if (b.length == 0) {
      return new byte[] {(byte) rnd.nextInt()};
    }
    int at = rnd.nextInt(b.length);
    switch (rnd.nextInt(KINDS.length)) {
      case 0 -> {
        byte[] c = b.clone();
        c[at] ^= (byte) (1 << rnd.nextInt(8));
        return c;
      }
      case 1 -> {
        return Arrays.copyOf(b, at);
      }
      case 2 -> {
        byte[] junk = new byte[1 + rnd.nextInt(16)];
        rnd.nextBytes(junk);
        return splice(b, at, at, junk);
      }
      case 3 -> {
        return splice(b, at, Math.min(b.length, at + 1 + rnd.nextInt(16)), new byte[0]);
      }
      case 4 -> {
        int end = Math.min(b.length, at + 1 + rnd.nextInt(32));
        return splice(b, at, at, Arrays.copyOfRange(b, at, end));
      }
      case 5 -> {
        int len = 1 + rnd.nextInt(Math.max(1, b.length / 4));
        int x = rnd.nextInt(Math.max(1, b.length - len));
        int y = rnd.nextInt(Math.max(1, b.length - len));
        byte[] c = b.clone();
        System.arraycopy(b, x, c, y, Math.min(len, c.length - y));
        System.arraycopy(b, y, c, x, Math.min(len, c.length - x));
        return c;
      }
      case 6 -> {
        int end = Math.min(b.length, at + 1 + rnd.nextInt(8));
        byte[] slice = Arrays.copyOfRange(b, at, end);
        int times = 1000 + rnd.nextInt(20_000);
        byte[] big = new byte[slice.length * times];
        for (int i = 0; i < times; i++) {
          System.arraycopy(slice, 0, big, i * slice.length, slice.length);
        }
        return splice(b, at, at, big);
      }
      case 7 -> {
        int depth = 50 + rnd.nextInt(2000);
        byte[] open = "[".repeat(depth).getBytes(StandardCharsets.US_ASCII);
        byte[] close = "]".repeat(depth).getBytes(StandardCharsets.US_ASCII);
        return splice(splice(b, b.length, b.length, close), at, at, open);
      }
      default -> {
        return splice(b, at, at, new byte[] {(byte) rnd.nextInt(0x20)});
      }
    }
  }

  private static byte[] splice(byte[] b, int from, int to, byte[] with) {
    byte[] c = new byte[b.length - (to - from) + with.length];
    System.arraycopy(b, 0, c, 0, from);
    System.arraycopy(with, 0, c, from, with.length);
    System.arraycopy(b, to, c, from + with.length, b.length - to);
    return c;
  }
}
