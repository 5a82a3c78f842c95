package io.github.researchcycle.core.launch;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevicesTest {
  @TempDir Path root;

  private static final List<Path> CPU = List.of(Path.of("/m2/pytorch-native-cpu-2.5.1-linux-x86_64.jar"));
  private static final List<Path> CUDA = List.of(Path.of("/m2/pytorch-native-cu124-2.5.1-linux-x86_64.jar"));

  @Test
  void aGpuProfileWithoutTheCudaBuildIsRefusedWithTheMavenProfile() {
    write(root, "launch/gpu.yaml", "devices: gpu\n");
    LaunchProfile p = LaunchProfiles.load(root, "gpu");
    ResearchException e = assertThrows(ResearchException.class, () -> Devices.check("gpu", p, CPU, () -> 1));
    assertTrue(e.getMessage().startsWith("launch/gpu.yaml: `devices: gpu` asks for one GPU"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn -Pgpu research:run -Dresearch.profile=gpu"), e.getMessage());
  }

  @Test
  void aGpuProfileOnAMachineWithoutGpusIsRefusedNeverRunOnTheCpu() {
    write(root, "launch/gpu.yaml", "devices: gpu:2\n");
    LaunchProfile p = LaunchProfiles.load(root, "gpu");
    ResearchException e = assertThrows(ResearchException.class, () -> Devices.check("gpu", p, CUDA, () -> 0));
    assertTrue(e.getMessage().contains("asks for 2 GPUs, but this machine has none"), e.getMessage());
    assertTrue(e.getMessage().contains("never falls back to the CPU"), e.getMessage());
    e = assertThrows(ResearchException.class, () -> Devices.check("gpu", p, CUDA, () -> 1));
    assertTrue(e.getMessage().contains("this machine has only 1"), e.getMessage());
    assertDoesNotThrow(() -> Devices.check("gpu", p, CUDA, () -> 2));
  }

  @Test
  void aSchedulerProfileIsNotCheckedAgainstThisMachine() {
    write(root, "launch/cluster.yaml", "target: slurm\ndevices: gpu:8\n");
    LaunchProfile p = LaunchProfiles.load(root, "cluster");
    assertDoesNotThrow(() -> Devices.check("cluster", p, CUDA, () -> 0));
    assertThrows(ResearchException.class, () -> Devices.check("cluster", p, CPU, () -> 0));
  }

  @Test
  void cpuProfilesPass() {
    assertDoesNotThrow(() -> Devices.check("local", LaunchProfile.defaultLocal(), CPU, () -> 0));
  }
}
