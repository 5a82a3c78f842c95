import ai.djl.basicdataset.cv.classification.Mnist;
import ai.djl.basicdataset.tabular.CsvDataset;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.Repository;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.SequenceSampler;
import io.github.researchcycle.runtime.EpochSampler;
import io.github.researchcycle.runtime.data.Csv;
import io.github.researchcycle.runtime.data.DataSets;
import io.github.researchcycle.runtime.data.ShardedDataset;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.apache.commons.csv.CSVFormat;

/**
 * Throughput of research-runtime's loaders against DJL's own (see bench/loaders.sh).
 * Modes:
 *   csvgen FILE ROWS FEATURES                 writes a synthetic CSV with a header
 *   convert SHARD_DIR BYTES FEATURES          writes synthetic shards (ShardedDataset.convert)
 *   idx MNIST_DIR LINKS_DIR WARMUP ROUNDS     ours (DataSets.idx) vs DJL Mnist on a local repository
 *   csv FILE FEATURES WARMUP ROUNDS           ours (DataSets.csv) vs DJL CsvDataset
 *   memory RECORDS FEATURES WARMUP ROUNDS     an in-memory ArrayDataset (EpochSampler, shuffled), one epoch
 *   sharded SHARD_DIR WARMUP ROUNDS           the ShardedDataset (shuffled, window 2, prefetch 2), one epoch
 * Every timed phase prints "RESULT name seconds records"; figures are medians over ROUNDS after WARMUP.
 */
public final class LoadersBench {
  static final int BATCH = 128;
  static final int STREAM_BATCH = 512;

  interface Body {
    long run() throws Exception;
  }

  static void time(String name, int warmup, int rounds, Body body) throws Exception {
    List<Double> seconds = new ArrayList<>();
    long records = 0;
    for (int r = 0; r < warmup + rounds; r++) {
      System.gc();
      long t0 = System.nanoTime();
      records = body.run();
      double s = (System.nanoTime() - t0) / 1e9;
      if (r >= warmup) {
        seconds.add(s);
      }
    }
    double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = sorted[sorted.length / 2];
    System.out.printf(Locale.ROOT, "RESULT %s %.4f %d (rounds %s)%n", name, median, records,
        Arrays.toString(Arrays.stream(sorted).map(v -> Math.round(v * 1000) / 1000.0).toArray()));
  }

  static long pass(Dataset ds, NDManager manager) throws Exception {
    long n = 0;
    for (Batch b : ds.getData(manager)) {
      try (b) {
        n += b.getSize();
      }
    }
    return n;
  }

  static SplittableRandom random() {
    return new SplittableRandom(42);
  }

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "csvgen" -> {
        int rows = Integer.parseInt(args[2]);
        int d = Integer.parseInt(args[3]);
        SplittableRandom random = random();
        try (BufferedWriter w = Files.newBufferedWriter(Path.of(args[1]))) {
          StringBuilder header = new StringBuilder();
          for (int j = 0; j < d; j++) {
            header.append("f").append(j).append(',');
          }
          w.write(header.append("label\n").toString());
          StringBuilder line = new StringBuilder();
          for (int i = 0; i < rows; i++) {
            line.setLength(0);
            for (int j = 0; j < d; j++) {
              line.append(String.format(Locale.ROOT, "%.5f", random.nextDouble() * 10 - 5)).append(',');
            }
            line.append("class_").append(random.nextInt(10)).append('\n');
            w.write(line.toString());
          }
        }
      }
      case "convert" -> {
        long bytes = Long.parseLong(args[2]);
        int d = Integer.parseInt(args[3]);
        long records = bytes / (4L * (d + 1));
        long t0 = System.nanoTime();
        ShardedDataset.Index index = ShardedDataset.convert(Path.of(args[1]), "bench/" + records + "x" + d, d,
            ShardedDataset.DEFAULT_SHARD_BYTES, w -> {
              SplittableRandom random = random();
              float[] x = new float[d];
              for (long i = 0; i < records; i++) {
                for (int j = 0; j < d; j++) {
                  x[j] = (float) random.nextDouble();
                }
                w.add(x, random.nextInt(10));
              }
            });
        System.out.printf(Locale.ROOT, "shards: %d records, %d shards, %.1f MiB, convert/verify %.1f s%n",
            index.records(), index.shards().size(), index.bytes() / 1048576.0, (System.nanoTime() - t0) / 1e9);
      }
      case "idx" -> {
        Path dir = Path.of(args[1]);
        Path links = Path.of(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        // DJL's Mnist reads the items train_data / train_labels of its repository: a local
        // (SimpleRepository) folder whose files carry those names, linked to the same raw files.
        Files.createDirectories(links);
        for (String[] pair : new String[][] {{"train_data", "train-images-idx3-ubyte"},
            {"train_labels", "train-labels-idx1-ubyte"}}) {
          Path link = links.resolve(pair[0]);
          Files.deleteIfExists(link);
          Files.createSymbolicLink(link, dir.resolve(pair[1]).toAbsolutePath());
        }
        Repository repository = Repository.newInstance("mnist-local", links);
        for (boolean iterate : new boolean[] {false, true}) {
          String suffix = iterate ? "load+epoch" : "load";
          time("idx-ours-" + suffix, warmup, rounds, () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
              DataSets.Loaded d = DataSets.idx(manager, dir, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", null,
                  null, 0, 1, new BatchSampler(new SequenceSampler(), BATCH, false), BATCH, null);
              return iterate ? pass(d.train(), manager) : d.trainSize();
            }
          });
          time("idx-djl-" + suffix, warmup, rounds, () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
              Mnist mnist = Mnist.builder().optManager(manager).optRepository(repository)
                  .optUsage(Dataset.Usage.TRAIN).setSampling(BATCH, false).build();
              mnist.prepare();
              return iterate ? pass(mnist, manager) : mnist.size();
            }
          });
        }
      }
      case "csv" -> {
        Path file = Path.of(args[1]);
        int d = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        for (boolean iterate : new boolean[] {false, true}) {
          String suffix = iterate ? "load+epoch" : "load";
          time("csv-ours-" + suffix, warmup, rounds, () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
              DataSets.Loaded loaded = DataSets.csv(manager, file,
                  Csv.Options.defaults().header(Csv.Header.NAMES).label("label"), null, 0, 1,
                  new BatchSampler(new SequenceSampler(), BATCH, false), BATCH, null);
              return iterate ? pass(loaded.train(), manager) : loaded.trainSize();
            }
          });
          time("csv-djl-" + suffix, warmup, rounds, () -> {
            try (NDManager manager = NDManager.newBaseManager()) {
              CsvDataset.CsvBuilder<?> b = CsvDataset.builder().optCsvFile(file)
                  .setCsvFormat(CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build());
              for (int j = 0; j < d; j++) {
                b.addNumericFeature("f" + j, true);
              }
              CsvDataset ds = b.addCategoricalLabel("label").setSampling(BATCH, false).build();
              ds.prepare();
              return iterate ? pass(ds, manager) : ds.size();
            }
          });
        }
      }
      case "memory" -> {
        int records = Integer.parseInt(args[1]);
        int d = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        try (NDManager manager = NDManager.newBaseManager()) {
          SplittableRandom random = random();
          float[] x = new float[records * d];
          float[] y = new float[records];
          for (int i = 0; i < records; i++) {
            for (int j = 0; j < d; j++) {
              x[i * d + j] = (float) random.nextDouble();
            }
            y[i] = random.nextInt(10);
          }
          EpochSampler sampler = new EpochSampler(STREAM_BATCH, true, 5, false);
          ArrayDataset ds = new ArrayDataset.Builder().setData(manager.create(x, new Shape(records, d)))
              .optLabels(manager.create(y)).setSampling(sampler).build();
          x = null;
          int[] epoch = {0};
          time("memory-epoch", warmup, rounds, () -> {
            sampler.setEpoch(epoch[0]++);
            return pass(ds, manager);
          });
        }
      }
      case "sharded" -> {
        int warmup = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        ShardedDataset ds = ShardedDataset.open(Path.of(args[1]), STREAM_BATCH, true, 5);
        System.out.printf(Locale.ROOT, "sharded: max heap %d MiB, data %.0f MiB (%.1fx the heap)%n",
            Runtime.getRuntime().maxMemory() >> 20, ds.index().bytes() / 1048576.0,
            ds.index().bytes() / (double) Runtime.getRuntime().maxMemory());
        int[] epoch = {0};
        try (NDManager manager = NDManager.newBaseManager()) {
          time("sharded-epoch", warmup, rounds, () -> {
            ds.setEpoch(epoch[0]++);
            return pass(ds, manager);
          });
        }
      }
      default -> throw new IllegalArgumentException("unknown mode " + args[0]);
    }
  }
}
