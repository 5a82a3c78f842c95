package io.github.researchcycle.core.cycle;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.descriptor.Descriptor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster factor of the scope score: a scheduler's profile counts once runs were made on it. */
class ScopeTest {
  @TempDir Path root;

  static Scope.Factor cluster(Scope.Score s) {
    return s.factors().stream().filter(f -> f.name().equals("a cluster")).findFirst().orElseThrow();
  }

  @Test
  void aSchedulerProfileCountsOnceRunsUseIt() {
    Descriptor d = Fixtures.improve("accuracy", Descriptor.Goal.MAXIMIZE, 0.01, 3);
    write(root, "launch/local.yaml", "target: local\n");
    assertEquals("inferred: only local launch profiles", cluster(Scope.score(root, d)).how());

    write(root, "launch/slurm.yaml", "target: slurm\n");
    write(root, "runs/20261127-025120-123-k3f9x2ab/run.json", "{\"profile\": \"local\"}\n");
    Scope.Factor unused = cluster(Scope.score(root, d));
    assertFalse(unused.present());
    assertEquals("inferred: no runs yet on slurm", unused.how());

    write(root, "runs/20261127-025121-123-m1r5v8qy/run.json", "{\"profile\": \"slurm\"}\n");
    Scope.Factor used = cluster(Scope.score(root, d));
    assertTrue(used.present());
    assertEquals("inferred: runs on slurm", used.how());
  }
}
