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
    write(root, "launch/b.yaml", "target: slurm\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "b"));
    assertTrue(e.getMessage().startsWith("launch/b.yaml line 1: target `slurm`"), e.getMessage());
    write(root, "launch/c.yaml", "devices: gpu:1\n");
    assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "c"));
    write(root, "launch/d.yaml", "hepa: 1g\n");
    e = assertThrows(ResearchException.class, () -> LaunchProfiles.load(root, "d"));
    assertTrue(e.getMessage().contains("did you mean `heap`"), e.getMessage());
  }
}
