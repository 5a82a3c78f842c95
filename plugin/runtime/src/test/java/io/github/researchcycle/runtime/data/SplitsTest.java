package io.github.researchcycle.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.runtime.data.Splits.Normalisation;
import io.github.researchcycle.runtime.data.Splits.Split;
import java.util.Arrays;
import java.util.BitSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitsTest {
  @Test
  void sameSeedSameSplitDisjointAndComplete() {
    Split a = Splits.split(1000, 0.2, 42);
    Split b = Splits.split(1000, 0.2, 42);
    assertArrayEquals(a.train(), b.train());
    assertArrayEquals(a.validation(), b.validation());
    assertEquals(200, a.validation().length);
    assertEquals(800, a.train().length);
    BitSet seen = new BitSet();
    for (int i : a.train()) {
      seen.set(i);
    }
    for (int i : a.validation()) {
      assertFalse(seen.get(i), "record " + i + " in both splits");
      seen.set(i);
    }
    assertEquals(1000, seen.cardinality());
    assertFalse(Arrays.equals(a.validation(), Splits.split(1000, 0.2, 43).validation()), "another seed, another split");
    assertFalse(Arrays.equals(a.validation(), IntStream.range(0, 200).toArray()), "shuffled");
    assertEquals(0, Splits.split(10, 0, 1).validation().length);
  }

  @Test
  void splitIsStableAcrossVersions() {
    // java.util.Random's sequence is specified: this split must never change, or recorded runs break.
    assertArrayEquals(new int[] {2, 3, 7, 8, 17}, Splits.split(20, 0.25, 7).validation());
  }

  @Test
  void statisticsComeFromTheTrainingSplitOnly() {
    int n = 100;
    int d = 2;
    Split split = Splits.split(n, 0.3, 5);
    float[] x = new float[n * d];
    for (int i = 0; i < n; i++) {
      x[i * d] = i % 3;
      x[i * d + 1] = 10;
    }
    for (int v : split.validation()) {
      x[v * d] = 1e6f; // any leak moves the mean far away
      x[v * d + 1] = -1e6f;
    }
    Normalisation stats = Splits.normalise(x, d, split, false, null);
    double mean = Arrays.stream(split.train()).mapToDouble(i -> i % 3).average().orElseThrow();
    assertEquals(mean, stats.mean()[0], 1e-5);
    assertEquals(10f, stats.mean()[1], 1e-5);
    assertEquals(1f, stats.std()[1], "a constant feature keeps std 1");
    assertEquals(70, stats.records());
    double m = 0;
    for (int t : split.train()) {
      m += x[t * d];
    }
    assertEquals(0, m / split.train().length, 1e-5, "train is centred");
    assertTrue(x[split.validation()[0] * d] > 1000, "validation normalised with the training statistics");

    Normalisation scalar = Normalisation.scalar(new float[] {1, 3, 100, 100}, 2, new int[] {0});
    assertEquals(2f, scalar.mean()[0]);
    assertEquals(1f, scalar.std()[0]);
  }
}
