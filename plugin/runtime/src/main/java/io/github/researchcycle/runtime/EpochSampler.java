package io.github.researchcycle.runtime;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * A batch sampler whose order depends only on the run's seed and the epoch number, so that a
 * resumed run sees exactly the data order an uninterrupted one would have seen.
 */
public final class EpochSampler implements Sampler, EpochAware {
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final boolean dropLast;
  private int epoch;

  /** Batches of {@code batchSize}, shuffled per epoch from {@code seed} when {@code shuffle}. */
  public EpochSampler(int batchSize, boolean shuffle, long seed, boolean dropLast) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, found " + batchSize);
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.dropLast = dropLast;
  }

  /** Sets the epoch whose order the next {@link #sample} call yields. */
  @Override
  public void setEpoch(int epoch) {
    this.epoch = epoch;
  }

  /** The epoch whose order the next {@link #sample} call yields. */
  public int epoch() {
    return epoch;
  }

  /** The number of batches per epoch for a data set of {@code size} records. */
  public long batches(long size) {
    return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
  }

  @Override
  public Iterator<List<Long>> sample(RandomAccessDataset dataset) {
    long size = dataset.size();
    List<Long> order = new ArrayList<>((int) size);
    for (long i = 0; i < size; i++) {
      order.add(i);
    }
    if (shuffle) {
      Collections.shuffle(order, new Random(seed * 1_000_003L + epoch));
    }
    List<List<Long>> batches = new ArrayList<>();
    for (int from = 0; from < order.size(); from += batchSize) {
      int to = Math.min(order.size(), from + batchSize);
      if (dropLast && to - from < batchSize) {
        break;
      }
      batches.add(order.subList(from, to));
    }
    return batches.iterator();
  }

  @Override
  public int getBatchSize() {
    return batchSize;
  }
}
