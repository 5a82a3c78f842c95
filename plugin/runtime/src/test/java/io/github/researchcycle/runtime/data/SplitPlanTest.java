package io.github.researchcycle.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SplitPlanTest {
  /** 100 records: 80 of class 0, 20 of class 1, interleaved. */
  private static float[] labels() {
    float[] y = new float[100];
    for (int i = 0; i < 100; i++) {
      y[i] = i % 5 == 0 ? 1 : 0;
    }
    return y;
  }

  @Test
  void aValidationCarveAloneIsTheEarlierSplitExactly() {
    SplitPlan.Parts p = SplitPlan.validationOnly(0.1, 42).apply(1000, null);
    Splits.Split s = Splits.split(1000, 0.1, 42);
    assertArrayEquals(s.train(), p.train());
    assertArrayEquals(s.validation(), p.validation());
    assertEquals(0, p.test().length);
  }

  @Test
  void testThenValidationArePartsOfOneWholeWithoutOverlap() {
    SplitPlan plan = new SplitPlan(new SplitPlan.Carve(0.2, 7, false), new SplitPlan.Carve(0.25, 42, false), null);
    SplitPlan.Parts p = plan.apply(100, null);
    assertEquals(20, p.test().length);
    assertEquals(20, p.validation().length);
    assertEquals(60, p.train().length);
    int[] all = IntStream.concat(IntStream.concat(Arrays.stream(p.train()), Arrays.stream(p.validation())),
        Arrays.stream(p.test())).sorted().toArray();
    assertArrayEquals(IntStream.range(0, 100).toArray(), all);
    assertArrayEquals(p.test(), plan.apply(100, null).test(), "the same seed carves the same test split");
  }

  @Test
  void aStratifiedCarveKeepsEachClassInProportion() {
    float[] y = labels();
    SplitPlan.Parts p = new SplitPlan(new SplitPlan.Carve(0.2, 3, true), null, null).apply(100, y);
    long ones = Arrays.stream(p.test()).filter(i -> y[i] == 1).count();
    assertEquals(20, p.test().length);
    assertEquals(4, ones, "20 % of the 20 records of class 1");
  }

  @Test
  void foldsPartitionTheRecordsAndEachFoldIsHeldOutOnce() {
    float[] y = labels();
    int[] seen = new int[100];
    for (int f = 0; f < 5; f++) {
      SplitPlan.Parts p = new SplitPlan(null, null, new SplitPlan.Folds(5, 9, true, f)).apply(100, y);
      assertEquals(20, p.validation().length);
      assertEquals(80, p.train().length);
      assertEquals(4, Arrays.stream(p.validation()).filter(i -> y[i] == 1).count(), "stratified fold " + f);
      for (int i : p.validation()) {
        seen[i]++;
      }
    }
    assertArrayEquals(IntStream.generate(() -> 1).limit(100).toArray(), seen);
  }
}
