package io.github.researchcycle.runtime;

/**
 * A data set (or sampler) whose order depends on the epoch: {@link Fit} tells it the epoch before
 * iterating, so that a resumed run sees the order an uninterrupted one would have seen.
 */
public interface EpochAware {
  /** Sets the epoch whose order the next iteration yields. */
  void setEpoch(int epoch);
}
