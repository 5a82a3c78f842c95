package io.github.researchcycle.core.cycle;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scope score's inferred GPU and cluster factors: from the profiles that runs used. */
class ScopeTest {
  @TempDir Path root;

  Scope.Factor factor(String name) {
    Descriptor d = DescriptorLoader.load(root);
    return Scope.score(root, d).factors().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void profilesThatNoRunUsedDoNotCount() {
    write(root, "research.yaml", "title: t\n");
    write(root, "launch/local.yaml", "target: local\n");
    write(root, "launch/multi-gpu.yaml", "target: local\ndevices: gpu:4\n");
    write(root, "launch/kubernetes.yaml", "target: kubernetes\nkubernetes:\n  image: x\n");
    write(root, "runs/20261127-025120-123-k3f9x2ab/run.json", "{\"profile\":\"local\"}\n");

    Scope.Factor cluster = factor("a cluster");
    assertFalse(cluster.present(), cluster.how());
    assertTrue(cluster.how().contains("not used by any run yet: kubernetes, multi-gpu"), cluster.how());
    assertFalse(factor("several GPUs").present());

    write(root, "runs/20261127-025120-124-m1r5v8qy/run.json", "{\"profile\":\"kubernetes\"}\n");
    write(root, "runs/20261127-025120-125-x2k7d3js/run.json", "{\"profile\":\"multi-gpu\"}\n");
    assertTrue(factor("a cluster").present());
    assertTrue(factor("a cluster").how().contains("kubernetes (kubernetes)"), factor("a cluster").how());
    Scope.Factor gpus = factor("several GPUs");
    assertTrue(gpus.present(), gpus.how());
    assertEquals(1, gpus.points());
  }
}
