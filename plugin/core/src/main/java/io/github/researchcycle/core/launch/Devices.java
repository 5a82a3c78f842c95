package io.github.researchcycle.core.launch;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The checks a GPU profile passes before anything is created: the project's classpath has a
 * CUDA build of PyTorch (the {@code gpu} Maven profile), and, on the local target, this machine
 * has the GPUs. A GPU profile never falls back to the CPU.
 */
public final class Devices {
  private Devices() {}

  /** Checks a profile against the classpath and this machine's GPUs. */
  public static void checkBeforeLaunch(String profileName, LaunchProfile profile, List<Path> classpath) {
    check(profileName, profile, classpath, Devices::localGpus);
  }

  /** As {@link #checkBeforeLaunch}, with the local GPU count from {@code gpus} (for tests). */
  static void check(String profileName, LaunchProfile profile, List<Path> classpath, Supplier<Integer> gpus) {
    int wanted = profile.gpus();
    if (wanted == 0 || "tpu-vm".equals(profile.targetOrDefault())) {
      return;
    }
    String file = "launch/" + profileName + ".yaml";
    boolean cuda = classpath.stream().anyMatch(p -> p.getFileName() != null
        && p.getFileName().toString().startsWith("pytorch-native-cu"));
    if (!cuda) {
      throw new ResearchException(file + ": `devices: " + profile.devices() + "` asks for "
          + plural(wanted, "GPU") + ", but the project's classpath has no CUDA build of PyTorch (only "
          + "pytorch-native-cpu). Fix: add the gpu Maven profile, as in mvn -Pgpu research:run -Dresearch.profile="
          + profileName + ".");
    }
    if (!"local".equals(profile.targetOrDefault())) {
      return;
    }
    int here = gpus.get();
    if (here < wanted) {
      throw new ResearchException(file + ": `devices: " + profile.devices() + "` asks for " + plural(wanted, "GPU")
          + ", but this machine has " + (here == 0 ? "none (no /dev/nvidia0 device)" : "only " + here)
          + "; a GPU profile never falls back to the CPU. Fix: run it on a machine with the GPUs (or through a "
          + "scheduler profile), or use a CPU profile: -Dresearch.profile=local.");
    }
  }

  /** The NVIDIA GPUs of this machine, counted from their device files. */
  public static int localGpus() {
    try (Stream<Path> dev = Files.list(Path.of("/dev"))) {
      return (int) dev.map(p -> p.getFileName().toString()).filter(n -> n.matches("nvidia[0-9]+")).count();
    } catch (IOException e) {
      return 0;
    }
  }

  private static String plural(int n, String what) {
    return n == 1 ? "one " + what : n + " " + what + "s";
  }
}
