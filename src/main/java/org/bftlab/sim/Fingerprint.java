package org.bftlab.sim;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A structural fingerprint of a component state or a decision, for the contract checks ({@code
 * org.bftlab.core.ContractCheck}; the core itself cannot use reflection): a 64-bit hash over
 * every field, recursively — collections by content (unordered sets and maps independent of
 * iteration order), arrays by content, records and classes by their declared fields, JDK value
 * types by their {@code hashCode}; {@code transient} fields (derived caches, such as a memoised
 * Merkle root) are skipped. Equal states give equal fingerprints; a field changed outside
 * an event changes it (up to a 2^-64 collision). Slow: a debug tool.
 */
public final class Fingerprint {
  private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

  private final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();

  private Fingerprint() {}

  /** The fingerprint of {@code value}. */
  public static Object of(Object value) {
    return new Fingerprint().hash(value);
  }

  private long hash(Object o) {
    if (o == null) {
      return 0x9E3779B97F4A7C15L;
    }
    Class<?> c = o.getClass();
    if (o instanceof String || o instanceof Number || o instanceof Boolean
        || o instanceof Character || o instanceof Enum<?>) {
      return mix(c.getName().hashCode(), o.hashCode());
    }
    if (o instanceof byte[] b) {
      return mix(1, java.util.Arrays.hashCode(b));
    }
    if (o instanceof long[] l) {
      return mix(2, java.util.Arrays.hashCode(l));
    }
    if (o instanceof int[] i) {
      return mix(3, java.util.Arrays.hashCode(i));
    }
    if (o instanceof Object[] arr) {
      return ordered(4, List.of(arr));
    }
    if (path.put(o, Boolean.TRUE) != null) {
      return 5; // a cycle: counted once
    }
    try {
      if (o instanceof Optional<?> opt) {
        return mix(6, hash(opt.orElse(null)));
      }
      if (o instanceof Map<?, ?> m) {
        if (m instanceof SortedMap<?, ?>) {
          List<Object> flat = new ArrayList<>();
          m.forEach((k, v) -> {
            flat.add(k);
            flat.add(v);
          });
          return ordered(7, flat);
        }
        long sum = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          sum += mix(hash(e.getKey()), hash(e.getValue()));
        }
        return mix(8, sum);
      }
      if (o instanceof Set<?> s && !(s instanceof SortedSet<?>)) {
        long sum = 0;
        for (Object x : s) {
          sum += hash(x);
        }
        return mix(9, sum);
      }
      if (o instanceof Collection<?> col) {
        return ordered(10, col);
      }
      if (c.getName().startsWith("java.")) {
        return mix(c.getName().hashCode(), o.hashCode());
      }
      long h = c.getName().hashCode();
      for (Field f : fields(c)) {
        try {
          h = mix(h, hash(f.get(o)));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException("cannot read " + f, e);
        }
      }
      return h;
    } finally {
      path.remove(o);
    }
  }

  private long ordered(long seed, Collection<?> items) {
    long h = seed;
    for (Object x : items) {
      h = mix(h, hash(x));
    }
    return h;
  }

  private static List<Field> fields(Class<?> c) {
    return FIELDS.computeIfAbsent(c, k -> {
      List<Field> out = new ArrayList<>();
      for (Class<?> t = k; t != null && t != Object.class; t = t.getSuperclass()) {
        for (Field f : t.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !Modifier.isTransient(f.getModifiers())) {
            f.setAccessible(true);
            out.add(f);
          }
        }
      }
      return out;
    });
  }

  private static long mix(long a, long b) {
    long x = a * 0x9E3779B97F4A7C15L + b;
    x ^= x >>> 31;
    x *= 0xBF58476D1CE4E5B9L;
    return x ^ (x >>> 29);
  }
}
