package io.github.researchcycle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.RandomAccessDataset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class EpochSamplerTest {
  private static List<List<Long>> epoch(EpochSampler sampler, int epoch, RandomAccessDataset data) {
    sampler.setEpoch(epoch);
    List<List<Long>> batches = new ArrayList<>();
    sampler.sample(data).forEachRemaining(b -> batches.add(List.copyOf(b)));
    return batches;
  }

  private static final NDManager MANAGER = NDManager.newBaseManager();

  private static RandomAccessDataset ofSize(long size) {
    return new ArrayDataset.Builder()
        .setData(MANAGER.zeros(new Shape(size, 1)))
        .setSampling(1, false)
        .build();
  }

  @Test
  void orderDependsOnlyOnSeedAndEpoch() {
    RandomAccessDataset data = ofSize(10);
    var a = new EpochSampler(3, true, 42, false);
    var b = new EpochSampler(3, true, 42, false);
    epoch(a, 0, data);
    epoch(a, 1, data);
    // b jumps straight to epoch 2, as a resumed run does: same order as a after two epochs.
    assertEquals(epoch(a, 2, data), epoch(b, 2, data));
    assertNotEquals(epoch(a, 0, data), epoch(a, 1, data));
    assertNotEquals(epoch(a, 0, data), epoch(new EpochSampler(3, true, 43, false), 0, data));
  }

  @Test
  void everyIndexOnceWithAShortLastBatch() {
    var batches = epoch(new EpochSampler(4, true, 1, false), 0, ofSize(10));
    assertEquals(3, batches.size());
    assertEquals(2, batches.get(2).size());
    assertEquals(LongStream.range(0, 10).boxed().toList(), batches.stream().flatMap(List::stream).sorted().toList());
    assertEquals(3, new EpochSampler(4, true, 1, false).batches(10));
    assertEquals(2, new EpochSampler(4, true, 1, true).batches(10));
  }

  @Test
  void withoutShuffleTheOrderIsSequential() {
    var batches = epoch(new EpochSampler(5, false, 1, false), 3, ofSize(10));
    assertEquals(List.of(List.of(0L, 1L, 2L, 3L, 4L), List.of(5L, 6L, 7L, 8L, 9L)), batches);
  }
}
