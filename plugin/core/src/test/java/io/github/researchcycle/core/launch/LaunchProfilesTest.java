package io.github.researchcycle.core.launch;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LaunchProfilesTest {
  @TempDir Path root;

  @Test
  void localIsTheDefaultWhenThereAreNoProfiles() {
    LaunchProfile p = LaunchProfiles.load(root, "local");
    assertEquals("local", p.targetOrDefault());
    assertEquals("1g", p.heapOrDefault());
    assertEquals(List.of(), p.jvmArgsOrEmpty());
    assertEquals(Map.of(), p.envOrEmpty());
  }

  @Test
  void loadsAProfile() {
    write(root, "launch/local.yaml", "target: local\ndevices: cpu\nheap: 2g\njvmArgs: [-Xss4m]\nenv:\n  OMP_NUM_THREADS: '4'\n");
    LaunchProfile p = LaunchProfiles.load(root, "local");
    assertEquals("2g", p.heapOrDefault());
    assertEquals(List.of("-Xss4m"), p.jvmArgsOrEmpty());
    assertEquals(Map.of("OMP_NUM_THREADS", "4"), p.envOrEmpty());
  }

  @Test
  void unknownProfileListsTheProfiles() {
    write(root, "launch/local.yaml", "target: local\n");
    write(root, "launch/gpu.yaml", "target: local\n");
    ResearchException e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "lcoal"));
    assertTrue(e.getMessage().contains("did you mean `local`"), e.getMessage());
    assertTrue(e.getMessage().contains("Profiles here: gpu, local"), e.getMessage());
  }

  @Test
  void badValuesAreRefusedWithTheLine() {
    write(root, "launch/a.yaml", "description: d\nheap: lots\n");
    ResearchException e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "a"));
    assertTrue(e.getMessage().startsWith("launch/a.yaml line 2: `heap`"), e.getMessage());
    write(root, "launch/b.yaml", "target: slurmm\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "b"));
    assertTrue(e.getMessage().startsWith("launch/b.yaml line 1: target `slurmm`"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean `slurm`"), e.getMessage());
    write(root, "launch/c.yaml", "devices: gpu:0\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "c"));
    assertTrue(e.getMessage().startsWith("launch/c.yaml line 1: devices `gpu:0`"), e.getMessage());
    write(root, "launch/d.yaml", "hepa: 1g\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "d"));
    assertTrue(e.getMessage().contains("did you mean `heap`"), e.getMessage());
  }

  @Test
  void loadsEveryTargetWithItsSettings() {
    write(root, "launch/gpu.yaml", "target: local\ndevices: gpu:4\nbatch:\n  perDevice: 64\nlearningRate:\n"
        + "  scaling: linear\n  warmupEpochs: 5\n");
    LaunchProfile gpu = LaunchProfiles.load(root, "gpu");
    assertEquals(4, gpu.gpus());
    assertEquals(64, gpu.batch().perDevice());
    assertEquals("linear", gpu.learningRate().scaling());
    write(root, "launch/slurm.yaml", "target: slurm\ndevices: gpu\ntimeLimit: '01:00:00'\nmemory: 8G\ncpus: 4\n"
        + "parallel: 2\nslurm:\n  partition: gpu\n  account: lab-1\n  qos: normal\n  constraint: a100|h100\n"
        + "  options: [--exclusive]\n");
    LaunchProfile slurm = LaunchProfiles.load(root, "slurm");
    assertEquals(1, slurm.gpus());
    assertEquals("a100|h100", slurm.slurm().constraint());
    write(root, "launch/k8s.yaml", "target: kubernetes\nkubernetes:\n  image: example.org/lab/train:1\n"
        + "  namespace: research\n  runsClaim: runs\n");
    assertEquals("research", LaunchProfiles.load(root, "k8s").kubernetes().namespace());
    write(root, "launch/tpu.yaml", "target: tpu-vm\ndevices: tpu\ntpu:\n  type: v4-8\n  zone: us-central2-b\n"
        + "  runtimeVersion: tpu-ubuntu2204-base\n  command: [python3, train.py]\n");
    assertEquals(4, LaunchProfiles.tpuCores(LaunchProfiles.load(root, "tpu").tpu().type()));
    assertEquals(8, LaunchProfiles.tpuCores("v3-8"));
    assertEquals(8, LaunchProfiles.tpuCores("v5litepod-8"));
    assertEquals(16, LaunchProfiles.tpuCores("v5p-32"));
  }

  @Test
  void targetSettingsAreCheckedWithTheKeyAndFix() {
    write(root, "launch/a.yaml", "target: slurm\nslurm:\n  partiton: gpu\n");
    ResearchException e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "a"));
    assertTrue(e.getMessage().contains("did you mean `slurm.partition`"), e.getMessage());
    write(root, "launch/b.yaml", "target: local\nslurm:\n  partition: gpu\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "b"));
    assertTrue(e.getMessage().startsWith("launch/b.yaml line 2: `slurm` settings have no effect"), e.getMessage());
    write(root, "launch/c.yaml", "target: slurm\nslurm:\n  partition: 'gpu; rm -rf ~'\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "c"));
    assertTrue(e.getMessage().startsWith("launch/c.yaml line 3: `slurm.partition`"), e.getMessage());
    write(root, "launch/d.yaml", "target: kubernetes\nkubernetes:\n  namespace: research\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "d"));
    assertTrue(e.getMessage().contains("`kubernetes.image`"), e.getMessage());
    write(root, "launch/e.yaml", "target: tpu-vm\ntpu:\n  type: v4\n  zone: z\n  runtimeVersion: r\n  command: [x]\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "e"));
    assertTrue(e.getMessage().startsWith("launch/e.yaml line 3: `v4` is not a TPU accelerator type"), e.getMessage());
    write(root, "launch/f.yaml", "batch:\n  perDevice: 64\n  global: 256\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "f"));
    assertTrue(e.getMessage().contains("either `batch.perDevice` or `batch.global`"), e.getMessage());
    write(root, "launch/g.yaml", "learningRate:\n  scaling: linera\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "g"));
    assertTrue(e.getMessage().contains("did you mean `linear`"), e.getMessage());
  }
}
