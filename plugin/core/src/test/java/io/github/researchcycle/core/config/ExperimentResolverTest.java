package io.github.researchcycle.core.config;

import io.github.researchcycle.model.DidYouMean;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.ResearchException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentResolverTest {
  static final String BASELINE = String.join("\n",
      "main: x.Train",
      "optimizer:",
      "  lr: 0.001",
      "  name: adam",
      "model:",
      "  hidden: 64",
      "training:",
      "  epochs: 3",
      "");
  static final String SMOKE = "extends: baseline\ntraining:\n  epochs: 1\n";

  @TempDir Path root;
  ExperimentResolver resolver;

  @BeforeEach
  void files() {
    write(root, "experiments/baseline.yaml", BASELINE);
    write(root, "experiments/smoke.yaml", SMOKE);
    resolver = new ExperimentResolver(root);
  }

  @Test
  void mergesTheChain() {
    ResolvedConfig c = resolver.resolve("smoke", List.of());
    assertEquals("smoke", c.experiment());
    assertEquals("x.Train", c.mainClass());
    assertEquals(1, c.values().at("/training/epochs").asInt());
    assertEquals(0.001, c.values().at("/optimizer/lr").asDouble());
    assertEquals("adam", c.values().at("/optimizer/name").asText());
    assertEquals(64, c.values().at("/model/hidden").asInt());
    assertFalse(c.values().has("extends"));
    assertEquals(List.of("experiments/smoke.yaml", "experiments/baseline.yaml"), c.sources());
    assertTrue(c.hash().matches("sha256:[0-9a-f]{64}"), c.hash());
    assertEquals(List.of("baseline", "smoke"), resolver.experimentNames());
  }

  @Test
  void rootExperimentResolvesAsItIs() {
    ResolvedConfig c = resolver.resolve("baseline", List.of());
    assertEquals(3, c.values().at("/training/epochs").asInt());
    assertEquals(List.of("experiments/baseline.yaml"), c.sources());
  }

  @Test
  void hashIsStableAndIndependentOfKeyOrder(@TempDir Path other) {
    write(other, "experiments/baseline.yaml", String.join("\n",
        "training: {epochs: 3}",
        "model: {hidden: 64}",
        "optimizer:",
        "  name: adam",
        "  lr: 0.001",
        "main: x.Train",
        ""));
    write(other, "experiments/smoke.yaml", "training:\n  epochs: 1\nextends: baseline\n");
    String first = resolver.resolve("smoke", List.of()).hash();
    assertEquals(first, resolver.resolve("smoke", List.of()).hash());
    assertEquals(first, new ExperimentResolver(other).resolve("smoke", List.of()).hash());
  }

  @Test
  void hashOfTreesIgnoresOrderButNotValues() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode a = f.objectNode();
    a.putObject("o").put("x", 1).put("y", "s");
    a.put("z", true);
    ObjectNode b = f.objectNode();
    b.put("z", true);
    b.putObject("o").put("y", "s").put("x", 1);
    assertEquals(ExperimentResolver.hash(a), ExperimentResolver.hash(b));
    ((ObjectNode) b.get("o")).put("x", 2);
    assertNotEquals(ExperimentResolver.hash(a), ExperimentResolver.hash(b));
  }

  @Test
  void hashChangesWithAValue() {
    String before = resolver.resolve("smoke", List.of()).hash();
    write(root, "experiments/smoke.yaml", "extends: baseline\ntraining:\n  epochs: 2\n");
    assertNotEquals(before, resolver.resolve("smoke", List.of()).hash());
  }

  @Test
  void overrideIsApplied() {
    ResolvedConfig plain = resolver.resolve("smoke", List.of());
    ResolvedConfig c = resolver.resolve("smoke", List.of("optimizer.lr=0.003", "model.hidden=256"));
    assertEquals(0.003, c.values().at("/optimizer/lr").asDouble());
    assertEquals(256, c.values().at("/model/hidden").asInt());
    assertEquals(List.of("optimizer.lr=0.003", "model.hidden=256"), c.overrides());
    assertNotEquals(plain.hash(), c.hash());
  }

  @Test
  void overrideWithTheSameValueKeepsTheHash() {
    ResolvedConfig plain = resolver.resolve("smoke", List.of());
    assertEquals(plain.hash(), resolver.resolve("smoke", List.of("model.hidden=64", "optimizer.name=adam")).hash());
  }

  @Test
  void unknownOverrideKeyGetsDidYouMean() {
    ResearchException e = assertThrows(ResearchException.class,
        () -> resolver.resolve("smoke", List.of("optimizer.lrr=1")));
    assertTrue(e.getMessage().contains("unknown key `optimizer.lrr`"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean `optimizer.lr`"), e.getMessage());
  }

  @Test
  void overrideOfASectionOrReservedKeyIsRefused() {
    assertThrows(ResearchException.class, () -> resolver.resolve("smoke", List.of("optimizer=1")));
    assertThrows(ResearchException.class, () -> resolver.resolve("smoke", List.of("extends=baseline")));
    assertThrows(ResearchException.class, () -> resolver.resolve("smoke", List.of("lr")));
  }

  @Test
  void wrongTypeOverrideIsRefused() {
    ResearchException e = assertThrows(ResearchException.class,
        () -> resolver.resolve("smoke", List.of("model.hidden=abc")));
    assertTrue(e.getMessage().contains("`model.hidden` must be a whole number, found `abc`"), e.getMessage());
    e = assertThrows(ResearchException.class, () -> resolver.resolve("smoke", List.of("model.hidden=1.5")));
    assertTrue(e.getMessage().contains("`model.hidden`"), e.getMessage());
  }

  @Test
  void childWithUnknownKeyNamesChildFileAndLine() {
    write(root, "experiments/bad.yaml", "extends: baseline\ntraining:\n  epochz: 1\n");
    ResearchException e = assertThrows(ResearchException.class, () -> resolver.resolve("bad", List.of()));
    assertTrue(e.getMessage().startsWith("experiments/bad.yaml line 3: unknown key `training.epochz`"),
        e.getMessage());
    assertTrue(e.getMessage().contains("did you mean `training.epochs`"), e.getMessage());
    assertTrue(e.getMessage().contains("experiments/baseline.yaml"), e.getMessage());
  }

  @Test
  void childWithWrongTypeNamesChildFileAndLine() {
    write(root, "experiments/bad.yaml", "extends: baseline\nmodel:\n  hidden: big\n");
    ResearchException e = assertThrows(ResearchException.class, () -> resolver.resolve("bad", List.of()));
    assertTrue(e.getMessage().startsWith("experiments/bad.yaml line 3: `model.hidden` must be a whole number"),
        e.getMessage());
  }

  @Test
  void extendsCycleIsRefused() {
    write(root, "experiments/a.yaml", "extends: b\nmain: x.A\n");
    write(root, "experiments/b.yaml", "extends: a\nmain: x.B\n");
    ResearchException e = assertThrows(ResearchException.class, () -> resolver.resolve("a", List.of()));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    assertTrue(e.getMessage().contains("a -> b -> a"), e.getMessage());
  }

  @Test
  void missingExperimentListsTheExperiments() {
    ResearchException e = assertThrows(ResearchException.class, () -> resolver.resolve("smok", List.of()));
    assertTrue(e.getMessage().contains("experiments/smok.yaml: no such experiment"), e.getMessage());
    assertTrue(e.getMessage().contains("did you mean `smoke`"), e.getMessage());
    assertTrue(e.getMessage().contains("Experiments here: baseline, smoke"), e.getMessage());
  }

  @Test
  void missingParentNamesTheExtendsLine() {
    write(root, "experiments/orphan.yaml", "description: d\nextends: nothing\n");
    ResearchException e = assertThrows(ResearchException.class, () -> resolver.resolve("orphan", List.of()));
    assertTrue(e.getMessage().startsWith("experiments/orphan.yaml line 2: experiments/nothing.yaml: no such"),
        e.getMessage());
  }

  @Test
  void pathTricksAreNotExperiments() {
    write(root, "secret.yaml", BASELINE);
    assertThrows(ResearchException.class, () -> resolver.resolve("../secret", List.of()));
  }

  @Test
  void missingMainIsRefused() {
    write(root, "experiments/nomain.yaml", "model:\n  hidden: 1\n");
    ResearchException e = assertThrows(ResearchException.class, () -> resolver.resolve("nomain", List.of()));
    assertTrue(e.getMessage().contains("no `main` key"), e.getMessage());
  }

  @Test
  void parseScalarReadsValuesAsYamlWould() {
    assertTrue(ExperimentResolver.parseScalar("12").isIntegralNumber());
    assertTrue(ExperimentResolver.parseScalar("1e-3").isFloatingPointNumber());
    assertTrue(ExperimentResolver.parseScalar("true").isBoolean());
    assertTrue(ExperimentResolver.parseScalar("~").isNull());
    assertEquals("12", ExperimentResolver.parseScalar("'12'").asText());
    assertTrue(ExperimentResolver.parseScalar("'12'").isTextual());
    assertEquals("adam", ExperimentResolver.parseScalar("adam").asText());
  }

  @Test
  void splitOverrides() {
    assertEquals(List.of("a=1", "b=2"), ExperimentResolver.splitOverrides("a=1,b=2"));
    assertEquals(List.of("tags=x,y"), ExperimentResolver.splitOverrides("tags=x,y"));
    assertEquals(List.of("tags=x,y", "lr=3"), ExperimentResolver.splitOverrides("tags=x,y,lr=3"));
    assertEquals(List.of("a=1", "b=2"), ExperimentResolver.splitOverrides(" a=1 , b=2 "));
    assertEquals(List.of(), ExperimentResolver.splitOverrides(""));
    assertEquals(List.of(), ExperimentResolver.splitOverrides(null));
  }

  @Test
  void typeProblemAllowsNullAndSameKinds() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    assertNull(ExperimentResolver.typeProblem(f.numberNode(0.1), f.numberNode(1)));
    assertNull(ExperimentResolver.typeProblem(f.nullNode(), f.textNode("x")));
    assertTrue(ExperimentResolver.typeProblem(f.booleanNode(true), f.textNode("yes")).contains("true or false"));
    assertTrue(ExperimentResolver.typeProblem(f.objectNode(), f.numberNode(1)).contains("section"));
  }
}
