package io.github.researchcycle.core.config;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.data.DataManifests;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.launch.LaunchProfiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;

class StrictYamlTest {
  @TempDir Path root;

  private ResearchException refused(String name, String text) {
    Path file = write(root, name, text);
    return assertThrows(ResearchException.class, () -> YamlFiles.readTree(root, file));
  }

  @Test
  void duplicateTopLevelKeyNamesFileLineAndKey() {
    ResearchException e = refused("research.yaml", "title: a\nseeds: 3\ntitle: b\n");
    assertEquals("research.yaml line 3: duplicate key `title` (first on line 1). Fix: keep one of the two.",
        e.getMessage());
  }

  @Test
  void duplicateKeysAtAnyDepth() {
    ResearchException nested = refused("experiments/a.yaml",
        "model:\n  hidden: 64\n  optimizer:\n    lr: 0.1\n    momentum: 0.9\n    lr: 0.2\n");
    assertTrue(nested.getMessage().startsWith(
        "experiments/a.yaml line 6: duplicate key `model.optimizer.lr` (first on line 4)"), nested.getMessage());
    ResearchException inList = refused("data/d.yaml",
        "files:\n  - name: a\n    size: 1\n  - name: b\n    size: 2\n    name: c\n");
    assertTrue(inList.getMessage().startsWith("data/d.yaml line 6: duplicate key `files[1].name` (first on line 4)"),
        inList.getMessage());
    ResearchException flow = refused("launch/x.yaml", "devices: {gpus: 1, gpus: 2}\n");
    assertTrue(flow.getMessage().startsWith("launch/x.yaml line 1: duplicate key `devices.gpus`"), flow.getMessage());
  }

  @Test
  void sameKeyInDifferentMappingsIsFine() {
    Path file = write(root, "a.yaml", "a:\n  x: 1\nb:\n  x: 2\nlist:\n  - x: 1\n  - x: 2\n");
    JsonNode tree = YamlFiles.readTree(root, file);
    assertEquals(2, tree.at("/b/x").asInt());
    assertEquals(2, tree.at("/list/1/x").asInt());
  }

  @Test
  void everyFileKindRefusesDuplicates() {
    List<String> files = List.of("research.yaml", "experiments/smoke.yaml", "launch/gpu.yaml", "data/mnist.yaml");
    List<Executable> loads = List.of(
        () -> DescriptorLoader.load(root),
        () -> new ExperimentResolver(root).resolve("smoke", List.of()),
        () -> LaunchProfiles.load(root, "gpu"),
        () -> DataManifests.load(root, "mnist"));
    for (int i = 0; i < files.size(); i++) {
      write(root, files.get(i), "description: one\nnested:\n  k: 1\n  k: 2\n");
      ResearchException e = assertThrows(ResearchException.class, loads.get(i), files.get(i));
      assertEquals(files.get(i) + " line 4: duplicate key `nested.k` (first on line 3). Fix: keep one of the two.",
          e.getMessage());
    }
  }

  @Test
  void aliasesAnchorsAndMergeKeysAreRefusedByName() {
    ResearchException alias = refused("experiments/b.yaml", "model:\n  hidden: *width\n");
    // Without an anchor SnakeYAML cannot resolve the alias; the refusal still names it, not a syntax error.
    assertTrue(alias.getMessage().startsWith("experiments/b.yaml line 2: `model.hidden` is the YAML alias `*width`"),
        alias.getMessage());
    ResearchException anchor = refused("experiments/c.yaml", "width: &width 128\nmodel:\n  hidden: *width\n");
    assertTrue(anchor.getMessage().startsWith("experiments/c.yaml line 1: `width` carries the YAML anchor `&width`"),
        anchor.getMessage());
    assertTrue(anchor.getMessage().contains("Fix: remove `&width`"), anchor.getMessage());
    ResearchException merge = refused("launch/d.yaml", "slurm:\n  <<: {partition: gpu}\n  time: 1h\n");
    assertTrue(merge.getMessage().startsWith("launch/d.yaml line 2: `slurm.<<` is a YAML merge key"),
        merge.getMessage());
    assertTrue(merge.getMessage().contains("Fix: write the merged keys out in `slurm`"), merge.getMessage());
  }

  @Test
  void quotedLookAlikesAreText() {
    Path file = write(root, "a.yaml", "a: \"*width\"\nb: '&x'\n\"<<\": c\nd: '.nan'\ne: \".inf\"\nf: x*y&z\n");
    JsonNode tree = YamlFiles.readTree(root, file);
    assertEquals("*width", tree.get("a").asText());
    assertEquals(".nan", tree.get("d").asText());
    assertEquals("c", tree.get("<<").asText());
  }

  @Test
  void nonFiniteNumbersAreRefusedNamingTheKey() {
    for (String v : List.of(".nan", ".NaN", ".inf", "-.inf", "+.INF", "!!float .nan")) {
      ResearchException e = refused("experiments/e.yaml", "optimizer:\n  lr: " + v + "\n");
      assertTrue(e.getMessage().startsWith("experiments/e.yaml line 2: `optimizer.lr` is `"), v + ": " + e.getMessage());
      assertTrue(e.getMessage().contains("not a finite number"), e.getMessage());
      assertFalse(e.getMessage().contains("malformed"), e.getMessage());
    }
    ResearchException inList = refused("experiments/f.yaml", "lrs: [0.1, .inf]\n");
    assertTrue(inList.getMessage().startsWith("experiments/f.yaml line 1: `lrs[1]` is `.inf`, not a finite number"),
        inList.getMessage());
  }

  @Test
  void syntaxErrorsStillComeFromJacksonWithTheirLine() {
    ResearchException e = refused("research.yaml", "title: t\nmetric:\n  name: acc\n   goal: maximize\n");
    assertTrue(e.getMessage().startsWith("research.yaml line 4"), e.getMessage());
    assertTrue(e.getMessage().contains("malformed YAML"), e.getMessage());
  }
}
