package io.github.researchcycle.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checkpoint layout of a run: {@code artifacts/checkpoints/epoch-0003/} holds the state after
 * three finished epochs; its {@code state.json}, written last, marks it complete.
 */
public final class Checkpoints {
  /** The marker file written last into a checkpoint folder. */
  public static final String STATE = RunFiles.CHECKPOINT_STATE;

  private Checkpoints() {}

  /** The folder that holds a run's checkpoints. */
  public static Path root(Path runDir) {
    return runDir.resolve(RunFiles.ARTIFACTS).resolve(RunFiles.CHECKPOINTS);
  }

  /** The folder for the checkpoint taken after {@code epochsDone} epochs. */
  public static Path forEpoch(Path runDir, int epochsDone) {
    return root(runDir).resolve(String.format(Locale.ROOT, "epoch-%04d", epochsDone));
  }

  /** The newest complete checkpoint of a run, if any. */
  public static Optional<Path> latest(Path runDir) throws IOException {
    Path root = root(runDir);
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> d.getFileName().toString().matches("epoch-\\d{4,}"))
          .filter(d -> Files.isRegularFile(d.resolve(STATE)))
          .max(Comparator.comparing(d -> Integer.parseInt(d.getFileName().toString().substring(6))));
    }
  }
}
