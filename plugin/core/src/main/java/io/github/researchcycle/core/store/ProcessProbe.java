package io.github.researchcycle.core.store;

import java.time.Duration;
import java.time.Instant;

/** Tells whether a run's training process is still alive on this host. */
@FunctionalInterface
public interface ProcessProbe {
  /**
   * Whether process {@code pid} is alive and is plausibly the one started for a run recorded at
   * {@code recorded} (a process that started long after the record is a reused pid).
   */
  boolean alive(long pid, Instant recorded);

  /** The probe of this operating system. */
  static ProcessProbe system() {
    return (pid, recorded) -> ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .map(h -> h.info().startInstant()
            .map(s -> recorded == null || !s.isAfter(recorded.plus(Duration.ofMinutes(2))))
            .orElse(true))
        .orElse(false);
  }
}
