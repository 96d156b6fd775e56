package org.bftlab.transport.fault;

import java.util.random.RandomGenerator;

/** How many extra ticks a delayed message waits; sampled from the caller's seeded generator. */
public sealed interface DelayDistribution {
  /** One sample, in ticks (>= 0). */
  long sample(RandomGenerator random);

  /** Always {@code ticks}. */
  record Fixed(long ticks) implements DelayDistribution {
    public Fixed {
      if (ticks < 0) {
        throw new IllegalArgumentException("delay must be >= 0 ticks, got " + ticks);
      }
    }

    @Override
    public long sample(RandomGenerator random) {
      return ticks;
    }
  }

  /** Uniform in [{@code min}, {@code max}] ticks, both inclusive. */
  record Uniform(long min, long max) implements DelayDistribution {
    public Uniform {
      if (min < 0 || max < min) {
        throw new IllegalArgumentException("need 0 <= min <= max, got [" + min + ", " + max + "]");
      }
    }

    @Override
    public long sample(RandomGenerator random) {
      return min == max ? min : random.nextLong(min, max + 1);
    }
  }

  /**
   * Exponential with mean {@code meanTicks}, rounded down, capped at {@code capTicks} so that a
   * heal time stays meaningful.
   */
  record Exponential(double meanTicks, long capTicks) implements DelayDistribution {
    public Exponential {
      if (!(meanTicks > 0) || capTicks < 0) {
        throw new IllegalArgumentException("need mean > 0 and cap >= 0, got " + meanTicks + ", "
            + capTicks);
      }
    }

    @Override
    public long sample(RandomGenerator random) {
      double u = random.nextDouble();
      long d = (long) Math.floor(-meanTicks * Math.log(1.0 - u));
      return Math.min(d, capTicks);
    }
  }
}
