package io.github.researchcycle.runtime;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Shows training progress: a bar drawn in place with ETA and the current metric on a terminal,
 * or a plain line every few seconds otherwise (logs, CI, Slurm output files).
 */
public abstract class Progress implements AutoCloseable {
  /** Starts an epoch of {@code steps} batches (or -1 when unknown). */
  public abstract void startEpoch(int epoch, int epochs, long steps);

  /** Reports a finished batch with its loss. */
  public abstract void step(double loss);

  /** Ends the epoch with a one-line summary, printed in both modes. */
  public abstract void endEpoch(String summary);

  @Override
  public abstract void close();

  /** The progress display chosen by {@code -Dresearch.console} ({@code ansi} or {@code plain}). */
  public static Progress forConsole(String mode, PrintStream out, LongSupplier nanoClock) {
    return "ansi".equals(mode) ? new Bar(out, nanoClock) : new Lines(out, nanoClock, Duration.ofSeconds(5));
  }

  /**
   * A bar drawn in place (tongfei progressbar). The loss it shows is formatted at most once per
   * redraw interval, not at every step.
   */
  static final class Bar extends Progress {
    /** How often the bar is redrawn, and its loss text formatted. */
    static final Duration REDRAW = Duration.ofMillis(250);

    private final PrintStream out;
    private final LongSupplier nanos;
    private ProgressBar bar;
    private long lastMessage;

    Bar(PrintStream out, LongSupplier nanos) {
      this.out = out;
      this.nanos = nanos;
    }

    @Override
    public void startEpoch(int epoch, int epochs, long steps) {
      close();
      bar = new ProgressBarBuilder()
          .setTaskName("epoch " + (epoch + 1) + "/" + epochs)
          .setInitialMax(steps)
          .setStyle(ProgressBarStyle.ASCII)
          .setUpdateIntervalMillis((int) REDRAW.toMillis())
          .setConsumer(new ConsoleProgressBarConsumer(out, 100))
          .build();
    }

    @Override
    public void step(double loss) {
      if (bar != null) {
        bar.step();
        long now = nanos.getAsLong();
        if (bar.getExtraMessage().isEmpty() || now - lastMessage >= REDRAW.toNanos()) {
          lastMessage = now;
          bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
        }
      }
    }

    /** The loss text the bar shows now. */
    String shown() {
      return bar == null ? "" : bar.getExtraMessage();
    }

    @Override
    public void endEpoch(String summary) {
      close();
      out.println(summary);
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  /** Plain lines at most every {@code every}, for consoles that are not terminals. */
  static final class Lines extends Progress {
    private final PrintStream out;
    private final LongSupplier nanos;
    private final long everyNanos;
    private long started;
    private long lastPrint;
    private long done;
    private long steps;
    private int epoch;
    private int epochs;

    Lines(PrintStream out, LongSupplier nanos, Duration every) {
      this.out = out;
      this.nanos = nanos;
      this.everyNanos = every.toNanos();
    }

    @Override
    public void startEpoch(int epoch, int epochs, long steps) {
      this.epoch = epoch;
      this.epochs = epochs;
      this.steps = steps;
      this.done = 0;
      this.started = nanos.getAsLong();
      this.lastPrint = started;
    }

    @Override
    public void step(double loss) {
      done++;
      long now = nanos.getAsLong();
      if (now - lastPrint >= everyNanos) {
        lastPrint = now;
        out.println(line(now, loss));
      }
    }

    String line(long now, double loss) {
      double elapsed = (now - started) / 1e9;
      StringBuilder b = new StringBuilder().append("epoch ").append(epoch + 1).append('/').append(epochs)
          .append("  step ").append(done);
      if (steps > 0) {
        b.append('/').append(steps).append(String.format(Locale.ROOT, "  %3d%%", done * 100 / steps));
        double eta = done == 0 ? 0 : elapsed / done * (steps - done);
        b.append("  ETA ").append(format(eta));
      }
      return b.append(String.format(Locale.ROOT, "  loss %.4f", loss)).toString();
    }

    static String format(double seconds) {
      long s = Math.round(seconds);
      return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    @Override
    public void endEpoch(String summary) {
      out.println(summary);
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
