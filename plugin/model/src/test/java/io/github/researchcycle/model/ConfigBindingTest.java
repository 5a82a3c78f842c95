package io.github.researchcycle.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigBindingTest {
  record Model(int hidden, int layers) {}

  record Hyper(Model model, double dropout, String activation) {}

  private static ObjectNode config(String json) throws Exception {
    return (ObjectNode) Json.mapper().readTree(json);
  }

  private static final String GOOD = "{\"main\": \"x.Train\", \"data\": {\"name\": \"digits\", \"validation\": 0.1},"
      + " \"model\": {\"hidden\": 64, \"layers\": 2}, \"dropout\": 0.5, \"activation\": \"relu\","
      + " \"optimizer\": {\"name\": \"adam\", \"lr\": 0.01}, \"training\": {\"epochs\": 3, \"batch\": 32}}";

  @Test
  void nestedRecordsGiveDottedKeys() {
    assertEquals(Set.of("model.hidden", "model.layers", "dropout", "activation"), ConfigBinding.keysOf(Hyper.class));
  }

  @Test
  void aConfigThatFitsBindsAndTheRuntimeKeysNeedNoComponent() throws Exception {
    ObjectNode c = config(GOOD);
    assertEquals(List.of(), ConfigBinding.check(c, Hyper.class));
    Hyper h = ConfigBinding.bind(c, Hyper.class);
    assertEquals(new Hyper(new Model(64, 2), 0.5, "relu"), h);
  }

  @Test
  void aTypoIsAnUnreadKeyAndAMissingComponentEachWithTheOtherAsHint() throws Exception {
    ObjectNode c = config(GOOD.replace("\"layers\"", "\"layer\""));
    List<ConfigBinding.Mismatch> m = ConfigBinding.check(c, Hyper.class);
    assertEquals(2, m.size(), m.toString());
    assertEquals(new ConfigBinding.Mismatch("model.layer", ConfigBinding.Mismatch.Kind.UNREAD, "model.layers"), m.get(0));
    assertEquals(new ConfigBinding.Mismatch("model.layers", ConfigBinding.Mismatch.Kind.MISSING, "model.layer"), m.get(1));
    String line = m.get(0).describe("experiments/baseline.yaml line 9", "baseline", "Hyper");
    assertTrue(line.startsWith("experiments/baseline.yaml line 9: `model.layer`"), line);
    assertTrue(line.contains("did you mean `model.layers`"), line);
  }

  @Test
  void aFractionForAWholeNumberOrTextForANumberIsTheWrongType() throws Exception {
    List<ConfigBinding.Mismatch> m = ConfigBinding.check(config(GOOD.replace("\"hidden\": 64", "\"hidden\": 64.5")
        .replace("\"dropout\": 0.5", "\"dropout\": \"half\"")), Hyper.class);
    assertEquals(2, m.size(), m.toString());
    assertTrue(m.stream().allMatch(x -> x.kind() == ConfigBinding.Mismatch.Kind.WRONG_TYPE), m.toString());
    assertTrue(m.toString().contains("a whole number, found 64.5"), m.toString());
  }

  @Test
  void bindingRefusesAFractionForAWholeNumberEvenWithoutTheCheck() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ConfigBinding.bind(config(GOOD.replace("\"hidden\": 64", "\"hidden\": 64.5")), Hyper.class));
    assertTrue(e.getMessage().contains("model.hidden"), e.getMessage());
  }

  @Test
  void aClassThatIsNotARecordIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ConfigBinding.keysOf(String.class));
  }
}
