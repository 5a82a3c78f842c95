package io.github.researchcycle.runtime;

import ai.djl.Device;
import ai.djl.training.tracker.Tracker;
import ai.djl.training.tracker.WarmUpTracker;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.launch.LaunchContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the launch profile asks of the training process, as {@code research:run} passes it in
 * system properties: the devices, the batch on them and how the learning rate follows the batch
 * (Goyal et al. 2017, "Accurate, Large Minibatch SGD": linear scaling with gradual warmup; or
 * square-root scaling), and the settings of a learning-rate range test.
 *
 * @param gpus the GPUs asked for, 0 for the CPU
 * @param perDeviceBatch the profile's per-device batch, or null
 * @param globalBatch the profile's global batch, or null
 * @param scaling {@code none}, {@code linear} or {@code sqrt}
 * @param warmupEpochs epochs of gradual warmup
 * @param lrFind the range test's settings, or null for a normal run
 */
public record Launch(int gpus, Integer perDeviceBatch, Integer globalBatch, String scaling, int warmupEpochs,
    LrFind lrFind) {

  /** The system property that turns a run into a learning-rate range test. */
  public static final String LR_FIND_PROPERTY = LaunchContext.LR_FIND_PROPERTY;

  /**
   * A learning-rate range test (Smith 2017): the rate grows exponentially from {@code min} to
   * {@code max} over {@code steps} optimizer steps; the test stops early once the loss diverges.
   *
   * @param min the first learning rate
   * @param max the last learning rate
   * @param steps the optimizer steps
   */
  public record LrFind(double min, double max, int steps) {
    /** The learning rate at optimizer step {@code step} (0-based). */
    public double rate(long step) {
      double t = steps <= 1 ? 0 : Math.min(1.0, step / (double) (steps - 1));
      return min * Math.pow(max / min, t);
    }

    /** Parses {@code min,max,steps}. */
    static LrFind parse(String text) {
      String[] parts = text.split(",");
      if (parts.length != 3) {
        throw new IllegalArgumentException("-D" + LR_FIND_PROPERTY + "=" + text + ": expected min,max,steps");
      }
      LrFind f = new LrFind(Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim()),
          Integer.parseInt(parts[2].trim()));
      if (!(f.min > 0 && f.max > f.min && f.steps >= 2)) {
        throw new IllegalArgumentException("-D" + LR_FIND_PROPERTY + "=" + text
            + ": needs 0 < min < max and at least 2 steps");
      }
      return f;
    }
  }

  /** What this process was started with (a CPU run with the experiment's own batch when nothing is set). */
  public static Launch fromSystemProperties() {
    String devices = System.getProperty(LaunchContext.DEVICES_PROPERTY, "cpu");
    int gpus = devices.equals("cpu") ? 0 : devices.equals("gpu") ? 1
        : devices.startsWith("gpu:") ? Integer.parseInt(devices.substring(4)) : 0;
    String lrFind = System.getProperty(LR_FIND_PROPERTY);
    return new Launch(gpus, integer(LaunchContext.BATCH_PER_DEVICE_PROPERTY), integer(LaunchContext.BATCH_GLOBAL_PROPERTY),
        System.getProperty(LaunchContext.LR_SCALING_PROPERTY, "none"),
        Integer.parseInt(System.getProperty(LaunchContext.LR_WARMUP_PROPERTY, "0")),
        lrFind == null || lrFind.isBlank() ? null : LrFind.parse(lrFind));
  }

  private static Integer integer(String property) {
    String v = System.getProperty(property);
    return v == null || v.isBlank() ? null : Integer.valueOf(v);
  }

  /** The number of devices the batch is split over. */
  public int deviceCount() {
    return Math.max(1, gpus);
  }

  /**
   * The devices to train on: the CPU, or the first {@code gpus} GPUs. Never falls back to the CPU:
   * fewer GPUs than asked for is an error.
   *
   * @param available the GPUs the engine sees
   */
  public Device[] devices(int available) {
    if (gpus == 0) {
      return new Device[] {Device.cpu()};
    }
    if (available < gpus) {
      throw new ResearchException("The launch profile asks for " + gpus + " GPU(s) (-D"
          + LaunchContext.DEVICES_PROPERTY + "), but the engine sees " + available + ". A GPU profile never falls"
          + " back to the CPU. Fix: run on a machine with the GPUs, with the CUDA build of PyTorch (mvn -Pgpu), or"
          + " use a CPU profile.");
    }
    Device[] d = new Device[gpus];
    for (int i = 0; i < gpus; i++) {
      d[i] = Device.gpu(i);
    }
    return d;
  }

  /**
   * The batch and learning rate on this profile, for an experiment tuned at {@code batch} and
   * {@code lr}.
   *
   * @param experimentBatch the experiment's batch (the one its learning rate was chosen for)
   * @param experimentLr the experiment's learning rate
   */
  public Scaling scaling(int experimentBatch, double experimentLr) {
    int global = globalBatch != null ? globalBatch
        : perDeviceBatch != null ? perDeviceBatch * deviceCount() : experimentBatch;
    if (global % deviceCount() != 0) {
      throw new ResearchException("The global batch " + global + " does not split evenly over "
          + deviceCount() + " devices. Fix: make `batch.global` in the launch profile a multiple of the devices.");
    }
    double k = global / (double) experimentBatch;
    double factor = switch (scaling == null ? "none" : scaling) {
      case "linear" -> k;
      case "sqrt" -> Math.sqrt(k);
      default -> 1.0;
    };
    return new Scaling(deviceCount(), global / deviceCount(), global, experimentBatch, experimentLr, scaling, factor,
        experimentLr * factor, warmupEpochs);
  }

  /**
   * The batch and learning rate a run uses on its profile.
   *
   * @param devices the devices the batch is split over
   * @param perDeviceBatch the batch on each device
   * @param globalBatch the batch of one optimizer step
   * @param experimentBatch the experiment's batch
   * @param experimentLr the experiment's learning rate
   * @param rule the scaling rule
   * @param factor the factor applied to the learning rate
   * @param lr the learning rate after warmup
   * @param warmupEpochs epochs of linear warmup from the experiment's rate
   */
  public record Scaling(int devices, int perDeviceBatch, int globalBatch, int experimentBatch, double experimentLr,
      String rule, double factor, double lr, int warmupEpochs) {

    /** The learning-rate schedule: linear warmup from the experiment's rate, then the scaled rate. */
    public Tracker tracker(long stepsPerEpoch) {
      Tracker main = Tracker.fixed((float) lr);
      int warmupSteps = (int) Math.min(Integer.MAX_VALUE, warmupEpochs * stepsPerEpoch);
      if (warmupSteps <= 0 || lr == experimentLr) {
        return main;
      }
      return WarmUpTracker.builder().setMainTracker(main).optWarmUpBeginValue((float) experimentLr)
          .optWarmUpSteps(warmupSteps).optWarmUpMode(WarmUpTracker.Mode.LINEAR).build();
    }

    /** The values recorded in {@code environment.json}. */
    public Map<String, Object> describe() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("devices", devices);
      m.put("perDeviceBatch", perDeviceBatch);
      m.put("globalBatch", globalBatch);
      m.put("experimentBatch", experimentBatch);
      m.put("experimentLr", experimentLr);
      m.put("rule", rule == null ? "none" : rule);
      m.put("factor", factor);
      m.put("lr", lr);
      m.put("warmupEpochs", warmupEpochs);
      return m;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "batch %d (%d per device × %d), lr %.3g (%s × %.3g%s)", globalBatch,
          perDeviceBatch, devices, lr, rule == null ? "none" : rule, factor,
          warmupEpochs > 0 && factor != 1 ? ", " + warmupEpochs + " warmup epochs" : "");
    }
  }
}
