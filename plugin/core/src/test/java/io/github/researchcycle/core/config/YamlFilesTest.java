package io.github.researchcycle.core.config;

import io.github.researchcycle.model.DidYouMean;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.descriptor.Descriptor;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlFilesTest {
  @TempDir Path root;

  @Test
  void malformedYamlNamesFileAndLine() {
    Path file = write(root, "research.yaml", "title: t\nmetric:\n  name: acc\n   goal: maximize\nseeds: 3\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.readTree(root, file));
    assertTrue(e.getMessage().startsWith("research.yaml line 4"), e.getMessage());
    assertTrue(e.getMessage().contains("malformed YAML"), e.getMessage());
  }

  @Test
  void malformedYamlInBindingIsAlsoAResearchException() {
    Path file = write(root, "sub/research.yaml", "title: [unclosed\nseeds: 3\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.read(root, file, Descriptor.class));
    assertTrue(e.getMessage().startsWith("sub/research.yaml line "), e.getMessage());
    assertTrue(e.getMessage().matches("(?s)sub/research\\.yaml line \\d+, column \\d+: malformed YAML.*"),
        e.getMessage());
  }

  @Test
  void controlCharacterIsAResearchException() {
    Path file = write(root, "research.yaml", "title: a\u0001b\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.readTree(root, file));
    assertTrue(e.getMessage().startsWith("research.yaml"), e.getMessage());
  }

  @Test
  void topLevelListIsRefused() {
    Path file = write(root, "research.yaml", "- a\n- b\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.readTree(root, file));
    assertTrue(e.getMessage().contains("YAML mapping"), e.getMessage());
  }

  @Test
  void missingFileIsAResearchException() {
    ResearchException e =
        assertThrows(ResearchException.class, () -> YamlFiles.readTree(root, root.resolve("nope.yaml")));
    assertEquals("nope.yaml: no such file.", e.getMessage());
  }

  @Test
  void emptyFileReadsAsEmptyMapping() {
    Path file = write(root, "empty.yaml", "");
    JsonNode tree = YamlFiles.readTree(root, file);
    assertTrue(tree.isObject());
    assertEquals(0, tree.size());
  }

  @Test
  void lineOfFindsNestedKeys() {
    Path file = write(root, "x.yaml", String.join("\n",
        "a:",            // 1
        "  x: 1",        // 2
        "  b:",          // 3
        "    y: 2",      // 4
        "    c: 3",      // 5
        "c: 4",          // 6
        "b:",            // 7
        "  c: 5",        // 8
        "items:",        // 9
        "  - name: p",   // 10
        "  - name: q",   // 11
        ""));
    assertEquals(5, YamlFiles.lineOf(file, "a.b.c"));
    assertEquals(3, YamlFiles.lineOf(file, "a.b"));
    assertEquals(6, YamlFiles.lineOf(file, "c"));
    assertEquals(8, YamlFiles.lineOf(file, "b.c"));
    assertEquals(11, YamlFiles.lineOf(file, "items[1].name"));
    assertEquals(-1, YamlFiles.lineOf(file, "a.b.z"));
    assertEquals(-1, YamlFiles.lineOf(file, "a.c"));
    assertEquals(-1, YamlFiles.lineOf(file, ""));
    assertEquals("x.yaml line 8", YamlFiles.at(root, file, "b.c"));
    assertEquals("x.yaml", YamlFiles.at(root, file, "nope"));
  }

  @Test
  void unknownKeyGetsDidYouMeanAndLine() {
    Path file = write(root, "research.yaml", "question: why\ntitel: My title\nseeds: 3\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.read(root, file, Descriptor.class));
    assertTrue(e.getMessage().startsWith("research.yaml line 2: unknown key `titel`"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean `title`"), e.getMessage());
  }

  @Test
  void unknownNestedKeyGetsAWellFormedHint() {
    Path file = write(root, "research.yaml", "title: t\npaper:\n  citation: c\n  hascode: true\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.read(root, file, Descriptor.class));
    assertTrue(e.getMessage().startsWith("research.yaml line 4: unknown key `paper.hascode`"), e.getMessage());
    assertTrue(e.getMessage().contains("(did you mean `paper.hasCode`?)"), e.getMessage());
  }

  @Test
  void wrongTypeNamesTheKey() {
    Path file = write(root, "research.yaml", "title: t\nseeds: five\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.read(root, file, Descriptor.class));
    assertTrue(e.getMessage().startsWith("research.yaml line 2: `seeds` must be a whole number"), e.getMessage());
  }

  @Test
  void wrongEnumValueListsTheSpellingsTheFileMayUse() {
    Path file = write(root, "research.yaml", "title: t\nmetric:\n  name: acc\n  goal: maximise\n");
    ResearchException e = assertThrows(ResearchException.class, () -> YamlFiles.read(root, file, Descriptor.class));
    assertTrue(e.getMessage().startsWith("research.yaml line 4: `metric.goal` must be one of"), e.getMessage());
    assertTrue(e.getMessage().contains("`maximize`") && e.getMessage().contains("`minimize`"), e.getMessage());
  }

  @Test
  void validFileBinds() {
    Path file = write(root, "research.yaml", String.join("\n",
        "title: t",
        "paper: {citation: c, hasCode: true}",
        "metric: {name: acc, goal: maximize}",
        "claim: {type: reproduce, reported: 0.91, tolerance: 0.01}",
        "seeds: 3",
        ""));
    Descriptor d = YamlFiles.read(root, file, Descriptor.class);
    assertEquals("t", d.title());
    assertTrue(d.paper().hasCode());
    assertEquals(Descriptor.Goal.MAXIMIZE, d.metric().goal());
    assertEquals(Descriptor.ClaimType.REPRODUCE, d.claim().type());
    assertEquals(0.91, d.claim().reported());
    assertEquals(3, d.seeds());
    assertFalse(d.question() != null);
  }
}
