package io.github.researchcycle.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import io.github.researchcycle.model.MetricsReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardedDatasetTest {
  private static final int D = 3;
  /** 100 records of 16 bytes per shard. */
  private static final long SHARD = ShardedDataset.HEADER + 100 * 16;

  /** Record i: features (i, -i, 0.5), label i. */
  private static ShardedDataset.Index convert(Path dir, int n, AtomicInteger calls) throws IOException {
    return ShardedDataset.convert(dir, "ids/" + n, D, SHARD, w -> {
      calls.incrementAndGet();
      for (int i = 0; i < n; i++) {
        w.add(new float[] {i, -i, 0.5f}, i);
      }
    });
  }

  private static List<Integer> order(ShardedDataset ds, int epoch) throws Exception {
    ds.setEpoch(epoch);
    List<Integer> ids = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      for (Batch b : ds.getData(manager)) {
        try (b) {
          float[] x = b.getData().head().toFloatArray();
          float[] y = b.getLabels().head().toFloatArray();
          for (int i = 0; i < y.length; i++) {
            assertEquals(y[i], x[i * D], "features travel with their label");
            ids.add((int) y[i]);
          }
        }
      }
    }
    return ids;
  }

  @Test
  void convertsOnceAndRedoesWhenAShardChanges(@TempDir Path dir) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ShardedDataset.Index index = convert(dir, 1050, calls);
    assertEquals(11, index.shards().size());
    assertEquals(1050, index.records());
    assertEquals(50, index.shards().get(10).records());
    assertEquals(SHARD, Files.size(dir.resolve("shard-00000.bin")));
    assertTrue(Files.readString(dir.resolve("index.json")).contains("\"sha256\""));
    assertEquals(index, convert(dir, 1050, calls));
    assertEquals(1, calls.get(), "existing matching shards are kept");
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("shard-00003.bin").toFile(), "rw")) {
      f.seek(100);
      f.write(7);
    }
    convert(dir, 1050, calls);
    assertEquals(2, calls.get(), "a changed shard is converted again");
    convert(dir, 1060, calls);
    assertEquals(3, calls.get(), "another fingerprint is converted again");
    assertEquals(11, index.shards().size());
    assertFalse(Files.exists(dir.resolve("shard-00011.bin")) && ShardedDataset.index(dir).shards().size() == 11);
  }

  @Test
  void epochOrderDependsOnSeedAndEpochOnlyAndCoversEveryRecordOnce(@TempDir Path dir) throws Exception {
    convert(dir, 1050, new AtomicInteger());
    ShardedDataset ds = ShardedDataset.open(dir, 32, true, 7);
    assertEquals(33, ds.batches());
    List<Integer> e0 = order(ds, 0);
    assertEquals(1050, e0.size());
    assertEquals(1050, new HashSet<>(e0).size());
    assertEquals(e0, order(ds, 0), "same epoch, same order");
    assertEquals(e0, order(ShardedDataset.open(dir, 32, true, 7), 0), "a new reader (a resumed run) agrees");
    assertFalse(e0.equals(order(ds, 1)), "another epoch, another order");
    assertFalse(e0.equals(order(ShardedDataset.open(dir, 32, true, 8), 0)), "another seed, another order");
    // Bounded window: the first 200 records of the epoch come from just two shards.
    Set<Integer> shards = new HashSet<>();
    for (int id : e0.subList(0, 200)) {
      shards.add(id / 100);
    }
    assertEquals(2, shards.size(), "the first window holds two shards: " + shards);
    List<Integer> sequential = order(ShardedDataset.open(dir, 64, false, 7), 3);
    for (int i = 0; i < 1050; i++) {
      assertEquals(i, sequential.get(i));
    }
  }

  @Test
  void abandonedIterationDoesNotBlockTheNextOne(@TempDir Path dir) throws Exception {
    convert(dir, 1050, new AtomicInteger());
    ShardedDataset ds = ShardedDataset.open(dir, 10, true, 1, 1, 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      try (Batch b = ds.getData(manager).iterator().next()) {
        assertEquals(10, b.getSize());
      }
    }
    assertEquals(1050, order(ds, 0).size());
  }

  @Test
  void aDamagedShardIsReportedWhileReading(@TempDir Path dir) throws Exception {
    convert(dir, 1050, new AtomicInteger());
    ShardedDataset ds = ShardedDataset.open(dir, 10, false, 1);
    Files.write(dir.resolve("shard-00000.bin"), "short".getBytes(StandardCharsets.US_ASCII));
    Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> order(ds, 0));
    assertTrue(e.getMessage().contains("shard-00000.bin") && e.getMessage().contains("convert again"), e.getMessage());
  }

  /** Runs {@link ShardedTrainMain} in a new JVM; returns its RESULT line. */
  static String fork(String xmx, Path shards, Path run, long seed, int epochs, long bytes, int d, int batch,
      boolean resuming, long shardBytes) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb = new ProcessBuilder(java, "-Xmx" + xmx, "-Dai.djl.offline=true", "-cp", cp,
        ShardedTrainMain.class.getName(), shards.toString(), run.toString(), Long.toString(seed),
        Integer.toString(epochs), Long.toString(bytes), Integer.toString(d), Integer.toString(batch),
        Boolean.toString(resuming), Long.toString(shardBytes)).redirectErrorStream(true);
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.MINUTES));
    assertEquals(0, p.exitValue(), out);
    String result = out.lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow();
    System.out.println("forked -Xmx" + xmx + ": " + result);
    return result;
  }

  static long field(String result, String name) {
    for (String part : result.split(" ")) {
      if (part.startsWith(name + "=")) {
        return Long.parseLong(part.substring(name.length() + 1));
      }
    }
    throw new AssertionError(name + " not in " + result);
  }

  static List<String> metrics(Path run) throws IOException {
    return MetricsReader.read(run.resolve("metrics.jsonl")).stream()
        .map(l -> l.step() + "/" + l.epoch() + "/" + l.name() + "=" + l.value()).toList();
  }

  /** Trains twice in JVMs whose heap is a quarter of the data; the metrics must be identical. */
  static void fourTimesTheHeap(String xmx, long bytes, int epochs, long shardBytes, Path shards, Path a, Path b)
      throws Exception {
    String first = fork(xmx, shards, a, 5, epochs, bytes, 63, 512, false, shardBytes);
    assertTrue(field(first, "dataBytes") >= 4 * field(first, "maxHeap"), "data at least four times the heap: " + first);
    fork(xmx, shards, b, 5, epochs, bytes, 63, 512, false, shardBytes);
    List<String> ma = metrics(a);
    assertTrue(ma.stream().anyMatch(l -> l.contains("/train_accuracy=")), "epoch metrics written");
    double accuracy = Double.parseDouble(ma.stream().filter(l -> l.contains("/train_accuracy=")).reduce((x, y) -> y)
        .orElseThrow().replaceAll(".*=", ""));
    assertTrue(accuracy > 0.9, "the rule is learned: " + accuracy);
    assertEquals(ma, metrics(b), "same seed, same metrics");
  }

  /** Always on: 129 MiB of records in 2 MiB shards with a 32 MiB heap. */
  @Test
  void trainsOnFourTimesTheHeapInAForkedJvmSmall(@TempDir Path shards, @TempDir Path a, @TempDir Path b)
      throws Exception {
    fourTimesTheHeap("32m", 129L << 20, 1, 2L << 20, shards, a, b);
  }

  /** The case: about 1 GiB of records with -Xmx256m, two epochs, twice. */
  @Test
  @Tag("e2e")
  void trainsOnFourTimesTheHeapInAForkedJvm(@TempDir Path shards, @TempDir Path a, @TempDir Path b) throws Exception {
    fourTimesTheHeap("256m", 1040L << 20, 2, ShardedDataset.DEFAULT_SHARD_BYTES, shards, a, b);
  }

  /** In process: a resumed sharded run sees the same order as an uninterrupted one (plain SGD: identical). */
  @Test
  void resumedShardedRunEqualsUninterruptedOne(@TempDir Path shards, @TempDir Path whole, @TempDir Path parts)
      throws Exception {
    long bytes = 2L << 20;
    String[] base = {shards.toString(), null, "3", null, Long.toString(bytes), "7", "64", null};
    run(base, whole, 4, false);
    run(base, parts, 2, false);
    run(base, parts, 4, true);
    assertEquals(metrics(whole), metrics(parts));
  }

  private static void run(String[] base, Path dir, int epochs, boolean resuming) throws Exception {
    String[] args = base.clone();
    args[1] = dir.toString();
    args[3] = Integer.toString(epochs);
    args[7] = Boolean.toString(resuming);
    ShardedTrainMain.main(args);
  }

  @Test
  void identicalShardsFromTheSameProducer(@TempDir Path a, @TempDir Path b) throws Exception {
    ShardedDataset.Index ia = ShardedTrainMain.generate(a, 5000, 5, 1 << 14);
    ShardedDataset.Index ib = ShardedTrainMain.generate(b, 5000, 5, 1 << 14);
    assertEquals(ia.shards(), ib.shards());
    assertArrayEquals(Files.readAllBytes(a.resolve("shard-00001.bin")), Files.readAllBytes(b.resolve("shard-00001.bin")));
  }
}
