package io.github.researchcycle.runtime;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.researchcycle.core.launch.LaunchContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Training processes for the tests of how a run ends from outside: each {@code main} is one JVM. */
final class FaultMains {
  private FaultMains() {}

  /** The command of a training JVM for {@code runDir} running {@code main} with {@code args}. */
  static List<String> java(Path runDir, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dai.djl.offline=true", "-Dresearch.run.dir=" + runDir, "-cp",
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), main.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Launches {@link Logging} as research:run does (with its own pid), prints its pid and the child's, and waits. */
  static final class Launcher {
    public static void main(String[] args) throws Exception {
      List<String> cmd = java(Path.of(args[0]), Logging.class);
      cmd.add(1, "-D" + LaunchContext.LAUNCHER_PID_PROPERTY + "=" + ProcessHandle.current().pid());
      Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(Path.of(args[0]).resolve("output.log").toFile()).start();
      System.out.println(ProcessHandle.current().pid() + " " + child.pid());
      System.out.flush();
      child.waitFor();
    }
  }

  /** Logs a value every 20 ms, for ever. */
  static final class Logging {
    public static void main(String[] args) throws Exception {
      Run run = Run.current();
      for (long step = 1; ; step++) {
        run.log("loss", 1.0 / step, step, 0);
        Thread.sleep(20);
      }
    }
  }

  /**
   * Trains a small model for many epochs; at step {@code args[1]} it sends itself signal
   * {@code args[0]}, goes on with that step for a second, writes {@code step-finished} and logs
   * {@code after_signal}.
   */
  static final class SignalledTraining {
    public static void main(String[] args) throws Exception {
      Run run = Run.current();
      long at = Long.parseLong(args[1]);
      Random random = new Random(5);
      float[] x = new float[400 * 4];
      float[] y = new float[400];
      for (int i = 0; i < 400; i++) {
        y[i] = i % 2;
        for (int j = 0; j < 4; j++) {
          x[i * 4 + j] = (float) (random.nextGaussian() + (i % 2 == 0 ? -1 : 1));
        }
      }
      try (NDManager manager = NDManager.newBaseManager(); Model model = Model.newInstance("blobs")) {
        ArrayDataset train = new ArrayDataset.Builder().setData(manager.create(x, new Shape(400, 4)))
            .optLabels(manager.create(y)).setSampling(run.sampler(16, true)).build();
        model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(8).build()).add(Activation::relu)
            .add(Linear.builder().setUnits(2).build()));
        DefaultTrainingConfig tc = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
            .optOptimizer(Optimizer.sgd().setLearningRateTracker(Tracker.fixed(0.1f)).build())
            .addTrainingListeners(run.listener(), new TrainingListenerAdapter() {
              @Override
              public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                if (run.listener().step() != at) {
                  return;
                }
                try {
                  new ProcessBuilder("kill", "-s", args[0], Long.toString(ProcessHandle.current().pid()))
                      .inheritIO().start().waitFor();
                  Thread.sleep(1000);
                  Files.writeString(run.dir().resolve("step-finished"), "yes\n");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
                run.log("after_signal", 1, at, run.listener().epoch());
              }
            });
        try (Trainer trainer = model.newTrainer(tc)) {
          trainer.initialize(new Shape(16, 4));
          Fit.fit(run, trainer, 50, train, null);
        }
      }
      System.out.println("trained to the end");
    }
  }

  /** Logs a value every 20 ms for 10 s, into a metrics file that cannot take it. */
  static final class FullDisk {
    public static void main(String[] args) throws Exception {
      try (Run run = Run.current()) {
        for (long step = 1; step <= 500; step++) {
          run.log("loss", 1.0 / step, step, 0);
          Thread.sleep(20);
        }
      }
      System.out.println("logged to the end");
    }
  }
}
