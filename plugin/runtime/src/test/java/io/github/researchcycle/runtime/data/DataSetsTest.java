package io.github.researchcycle.runtime.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.RandomSampler;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.TestRuns;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSetsTest {
  @Test
  void idxSplitsNormalisesOnTrainOnlyAndRecords(@TempDir Path dir, @TempDir Path runDir) throws Exception {
    int n = 100;
    Splits.Split split = Splits.split(n, 0.2, 11);
    // Training images hold values 0..15, validation images are all 255: a leak would show in the mean.
    ByteBuffer images = ByteBuffer.allocate(16 + n * 4).putInt(Idx.IMAGES).putInt(n).putInt(2).putInt(2);
    Set<Integer> validation = new HashSet<>();
    for (int v : split.validation()) {
      validation.add(v);
    }
    long sum = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < 4; j++) {
        int v = validation.contains(i) ? 255 : (i + j) % 16;
        images.put((byte) v);
        sum += validation.contains(i) ? 0 : v;
      }
    }
    Files.write(dir.resolve("train-images-idx3-ubyte"), images.array());
    Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(IdxTest.labels(n, 3)));
    Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxTest.images(10, 2, 2));
    Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxTest.labels(10, 3));
    try (NDManager manager = NDManager.newBaseManager(); Run run = TestRuns.open(runDir, "{}", 11)) {
      DataSets.Loaded d = DataSets.idx(manager, dir, 0.2, 11, run.sampler(8, true), 16, run);
      assertEquals(80, d.trainSize());
      assertEquals(20, d.validationSize());
      assertEquals(10, d.testSize());
      assertEquals(4, d.features());
      assertEquals(3, d.classes());
      assertEquals(sum / (80.0 * 4) / 255, d.normalisation().mean()[0], 1e-6, "mean of the training pixels only");
      float trainSum = 0;
      int batches = 0;
      for (Batch b : d.train().getData(manager)) {
        try (b) {
          assertEquals(List.of(8L, 4L), List.of(b.getData().head().getShape().get(0), b.getData().head().getShape().get(1)));
          assertEquals(DataType.FLOAT32, b.getLabels().head().getDataType());
          trainSum += b.getData().head().sum().getFloat();
          batches++;
        }
      }
      assertEquals(10, batches);
      assertEquals(0, trainSum / (80 * 4), 1e-4, "the training split is centred");
      JsonNode env = Json.mapper().readTree(runDir.resolve("environment.json").toFile());
      JsonNode norm = env.path("normalisation");
      assertEquals("scalar", norm.path("kind").asText());
      assertEquals("train", norm.path("computedOn").asText());
      assertEquals(80, norm.path("records").asInt());
      assertEquals(11, norm.path("split").path("seed").asLong());
      assertEquals(0.2, norm.path("split").path("validationFraction").asDouble());
    }
  }

  @Test
  void csvWithTestFileSharesClassesAndStatistics(@TempDir Path dir) throws Exception {
    StringBuilder train = new StringBuilder("f1,f2,kind\n");
    for (int i = 0; i < 50; i++) {
      train.append(i).append(',').append(i * 2).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
    }
    Path file = Files.writeString(dir.resolve("train.csv"), train);
    Path test = Files.writeString(dir.resolve("test.csv"), "f1,f2,kind\n1,2,odd\n3,4,even\n");
    try (NDManager manager = NDManager.newBaseManager()) {
      DataSets.Loaded d = DataSets.csv(manager, file, Csv.Options.defaults().header(Csv.Header.NAMES).label("kind"),
          test, 0.1, 3, new BatchSampler(new RandomSampler(), 4, false), 8, null);
      assertEquals(45, d.trainSize());
      assertEquals(5, d.validationSize());
      assertEquals(2, d.testSize());
      assertEquals(2, d.features());
      assertEquals(2, d.classes());
      assertEquals(List.of("even", "odd"), d.classNames());
      Batch b = d.test().getData(manager).iterator().next();
      assertEquals(1f, b.getLabels().head().getFloat(0), "odd is class 1 in the test file too");
      assertTrue(d.normalisation().std()[0] > 1);
      DataSets.Loaded none = DataSets.csv(manager, file, Csv.Options.defaults().header(Csv.Header.NAMES), null, 0, 3,
          new BatchSampler(new RandomSampler(), 4, false), 8, null);
      assertNull(none.validation());
      assertNull(none.test());
    }
  }

  @Test
  void sklearnIrisWhenPresent(@TempDir Path runDir) throws Exception {
    Path iris = CsvTest.SKLEARN.resolve("iris.csv");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(iris), "no " + iris);
    try (NDManager manager = NDManager.newBaseManager()) {
      DataSets.Loaded d = DataSets.csv(manager, iris, Csv.Options.defaults().header(Csv.Header.SKLEARN), null, 0.2, 1,
          new BatchSampler(new RandomSampler(), 16, false), 16, null);
      assertEquals(120, d.trainSize());
      assertEquals(3, d.classes());
      assertEquals(4, d.features());
    }
  }
}
