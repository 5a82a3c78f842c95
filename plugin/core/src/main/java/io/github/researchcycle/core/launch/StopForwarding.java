package io.github.researchcycle.core.launch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Forwards a stop of the launching JVM (SIGTERM, Ctrl-C: Maven runs its shutdown hooks) to the
 * training processes it started, waits for them (bounded) and for their final records, and from
 * then on refuses to start another.
 */
final class StopForwarding {
  /** One live training process, told to stop and waited for when the JVM is asked to end. */
  interface Live {
    /** Asks the training process to stop (SIGTERM): it finishes its step and exits. */
    void stop();

    /** Waits until the process has ended and its final record is written, killing it at {@code deadline}. */
    void awaitEnd(long deadlineNanos);
  }

  private final Duration patience;
  private final Set<Live> live = new LinkedHashSet<>();
  private boolean stopping;
  private Thread hook;

  /** Forwarding that gives the training processes {@code patience} to end before they are killed. */
  StopForwarding(Duration patience) {
    this.patience = patience;
  }

  /** Whether this JVM is ending: no run may start any more. */
  synchronized boolean stopping() {
    return stopping;
  }

  /** Follows {@code run} until {@link #release}; false when this JVM is already ending (do not start it). */
  synchronized boolean follow(Live run) {
    if (stopping) {
      return false;
    }
    if (hook == null) {
      Thread h = new Thread(this::stopAll, "research-run-stop");
      try {
        Runtime.getRuntime().addShutdownHook(h);
      } catch (IllegalStateException e) {
        stopping = true; // The JVM is already shutting down.
        return false;
      }
      hook = h;
    }
    live.add(run);
    return true;
  }

  /** Stops following {@code run}: its record is final. */
  synchronized void release(Live run) {
    live.remove(run);
    if (live.isEmpty() && hook != null && !stopping) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // Shutting down: the hook runs and finds nothing to do.
      }
      hook = null;
    }
  }

  /** The shutdown hook: stop every live run, then wait for each to end and be recorded. */
  void stopAll() {
    List<Live> runs;
    synchronized (this) {
      stopping = true;
      runs = new ArrayList<>(live);
    }
    runs.forEach(Live::stop);
    long deadline = System.nanoTime() + patience.toNanos();
    for (Live run : runs) {
      run.awaitEnd(deadline);
    }
  }
}
