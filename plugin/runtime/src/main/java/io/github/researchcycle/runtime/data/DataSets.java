package io.github.researchcycle.runtime.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.BatchSampler;
import ai.djl.training.dataset.Sampler;
import ai.djl.training.dataset.SequenceSampler;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.runtime.Run;
import io.github.researchcycle.runtime.data.Splits.Normalisation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Builds DJL data sets from IDX or CSV files: a training split (batched by the given sampler,
 * normally {@code run.sampler(batch, true)}), a validation split carved from the training file
 * with a seed and a fraction, and an optional test set (both batched in order by
 * {@code evalBatch}). Features are float32 {@code [n, d]} (images flattened to {@code [n, rows ×
 * cols]}, scaled to 0..1), normalised with statistics computed on the training split only; labels
 * are float32 {@code [n]}. The statistics and the split are recorded in {@code environment.json}
 * under {@code normalisation} when a run is given.
 */
public final class DataSets {
  /** The system property prefix through which {@code research:run} passes a data set's folder. */
  public static final String DIR_PROPERTY = DataService.DIR_PROPERTY_PREFIX;

  private DataSets() {}

  /**
   * The splits of a data set: {@code validation} is null when the fraction is 0, {@code test} when
   * no test file is given. {@code classes} is the number of label values (0 for a numeric label that
   * is not a class number); {@code classNames} names them when the file does (CSV).
   */
  public record Loaded(ArrayDataset train, ArrayDataset validation, ArrayDataset test, int trainSize,
      int validationSize, int testSize, int features, int classes, List<String> classNames,
      Normalisation normalisation) {}

  /**
   * The folder of the data set {@code name}, as {@code research:run} passes it
   * ({@code -Dresearch.data.dir.NAME}).
   */
  public static Path dir(String name) {
    String value = System.getProperty(DIR_PROPERTY + name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException("No folder for data set \"" + name + "\" (system property -D" + DIR_PROPERTY
          + name + " is not set). Fix: declare it in data/" + name + ".yaml and start the run with "
          + "`mvn research:run`, or pass -D" + DIR_PROPERTY + name + "=FOLDER.");
    }
    return Path.of(value);
  }

  /**
   * The data set a manifest declares ({@link DataSpec}), read from {@code dir} where research:run
   * fetched and checked its files: IDX or CSV, divided as its {@code splits} say.
   */
  public static Loaded load(NDManager manager, DataSpec spec, Path dir, Sampler trainSampler, int evalBatch, Run run)
      throws IOException {
    switch (spec.format()) {
      case "idx":
        if (spec.trainImages() == null) {
          return idxByStandardNames(manager, dir, spec.plan(), trainSampler, evalBatch, run);
        }
        return idx(manager, dir, spec.trainImages(), spec.trainLabels(), spec.testImages(), spec.testLabels(),
            spec.plan(), trainSampler, evalBatch, run);
      case "csv":
        if (spec.trainFile() == null) {
          throw new ResearchException("data/" + spec.name() + ".yaml names no training "
              + "file. Fix: splits: {train: {file: NAME}} with NAME one of its files.");
        }
        return csv(manager, dir.resolve(spec.trainFile()), spec.csv(), spec.testFile() == null ? null
            : dir.resolve(spec.testFile()), spec.plan(), trainSampler, evalBatch, run);
      default:
        throw new ResearchException("data/" + spec.name() + ".yaml is `format: "
            + spec.format() + "`: the runtime reads idx and csv files. Fix: for generated data, make the arrays "
            + "in your code and pass them to run.data(x, y, features).");
    }
  }

  /**
   * Data made in the training code (a generator): {@code x} holds {@code features} values per
   * record, {@code y} one label each; divided by {@code plan} and normalised per feature with the
   * training split's statistics.
   */
  public static Loaded arrays(NDManager manager, float[] x, float[] y, int features, SplitPlan plan,
      Sampler trainSampler, int evalBatch, Run run) {
    int d = features;
    SplitPlan.Parts split = plan.apply(y.length, y);
    Normalisation stats = Normalisation.perFeature(x, d, split.train());
    Splits.record(run, stats, split.describe());
    float[] xs = x.clone();
    stats.apply(xs, d);
    ArrayDataset train = dataset(manager, rows(xs, d, split.train()), labels(y, split.train()), d, trainSampler);
    ArrayDataset validation = split.validation().length == 0 ? null : dataset(manager,
        rows(xs, d, split.validation()), labels(y, split.validation()), d, sequential(evalBatch));
    ArrayDataset test = split.test().length == 0 ? null : dataset(manager, rows(xs, d, split.test()),
        labels(y, split.test()), d, sequential(evalBatch));
    return new Loaded(train, validation, test, split.train().length, split.validation().length, split.test().length,
        d, classCount(y), List.of(), stats);
  }

  /**
   * MNIST-style IDX files in {@code dir} under their usual names ({@code train-images-idx3-ubyte},
   * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte},
   * each with or without {@code .gz}); the test set is left out when its files are absent.
   */
  public static Loaded idx(NDManager manager, Path dir, double validationFraction, long seed, Sampler trainSampler,
      int evalBatch, Run run) throws IOException {
    return idxByStandardNames(manager, dir, SplitPlan.validationOnly(validationFraction, seed), trainSampler,
        evalBatch, run);
  }

  /** IDX files under their usual names; the test files are read unless the plan carves a test split. */
  private static Loaded idxByStandardNames(NDManager manager, Path dir, SplitPlan plan, Sampler trainSampler,
      int evalBatch, Run run) throws IOException {
    Path testImages = find(dir, "t10k-images-idx3-ubyte", false);
    Path testLabels = find(dir, "t10k-labels-idx1-ubyte", false);
    boolean test = testImages != null && testLabels != null && plan.test() == null;
    return idx(manager, dir, find(dir, "train-images-idx3-ubyte", true).getFileName().toString(),
        find(dir, "train-labels-idx1-ubyte", true).getFileName().toString(),
        test ? testImages.getFileName().toString() : null, test ? testLabels.getFileName().toString() : null,
        plan, trainSampler, evalBatch, run);
  }

  /**
   * IDX images and labels files in {@code dir}, by name (raw or gzip); the test files may be null.
   * Pixels are scaled to 0..1, then normalised with one mean and standard deviation of the training
   * split's pixels.
   */
  public static Loaded idx(NDManager manager, Path dir, String trainImages, String trainLabels, String testImages,
      String testLabels, double validationFraction, long seed, Sampler trainSampler, int evalBatch, Run run)
      throws IOException {
    return idx(manager, dir, trainImages, trainLabels, testImages, testLabels,
        SplitPlan.validationOnly(validationFraction, seed), trainSampler, evalBatch, run);
  }

  /** As above, divided by a manifest's split plan (a test split may be carved from the training file). */
  public static Loaded idx(NDManager manager, Path dir, String trainImages, String trainLabels, String testImages,
      String testLabels, SplitPlan plan, Sampler trainSampler, int evalBatch, Run run) throws IOException {
    Idx.Images images = Idx.readImages(dir.resolve(trainImages));
    byte[] labels = Idx.readLabels(dir.resolve(trainLabels));
    checkCounts(dir.resolve(trainImages), images, dir.resolve(trainLabels), labels);
    int d = images.size();
    SplitPlan.Parts split = plan.apply(images.count(), labels(labels, SplitPlan.range(labels.length)));
    Normalisation stats = pixelStatistics(images.pixels(), d, split.train());
    Splits.record(run, stats, split.describe());
    int classes = 0;
    for (byte l : labels) {
      classes = Math.max(classes, (l & 0xFF) + 1);
    }
    ArrayDataset train = dataset(pixels(manager, images.pixels(), d, split.train(), stats),
        labels(labels, split.train()), trainSampler);
    ArrayDataset validation = split.validation().length == 0 ? null : dataset(
        pixels(manager, images.pixels(), d, split.validation(), stats), labels(labels, split.validation()),
        sequential(evalBatch));
    ArrayDataset test = null;
    int testSize = 0;
    if (split.test().length > 0) {
      test = dataset(pixels(manager, images.pixels(), d, split.test(), stats), labels(labels, split.test()),
          sequential(evalBatch));
      testSize = split.test().length;
    }
    images = null; // the bytes may go before the test set is read
    if (testImages != null && test == null) {
      Idx.Images ti = Idx.readImages(dir.resolve(testImages));
      byte[] tl = Idx.readLabels(dir.resolve(testLabels));
      checkCounts(dir.resolve(testImages), ti, dir.resolve(testLabels), tl);
      if (ti.size() != d) {
        throw new IOException("IDX file " + dir.resolve(testImages) + " holds " + ti.rows() + "x" + ti.cols()
            + " images (" + ti.size() + " pixels), the training file " + dir.resolve(trainImages) + " images of "
            + d + " pixels");
      }
      int[] all = SplitPlan.range(ti.count());
      test = dataset(pixels(manager, ti.pixels(), d, all, stats), labels(tl, all), sequential(evalBatch));
      testSize = ti.count();
    }
    return new Loaded(train, validation, test, split.train().length, split.validation().length, testSize, d, classes,
        List.of(), stats);
  }

  /**
   * A CSV file (see {@link Csv}) split into train and validation, and an optional test file (null
   * for none) read with the same options and the training file's classes. Features are normalised
   * per feature with the training split's mean and standard deviation.
   */
  public static Loaded csv(NDManager manager, Path file, Csv.Options options, Path testFile, double validationFraction,
      long seed, Sampler trainSampler, int evalBatch, Run run) throws IOException {
    return csv(manager, file, options, testFile, SplitPlan.validationOnly(validationFraction, seed), trainSampler,
        evalBatch, run);
  }

  /** As above, divided by a manifest's split plan (a test split may be carved from the training file). */
  public static Loaded csv(NDManager manager, Path file, Csv.Options options, Path testFile, SplitPlan plan,
      Sampler trainSampler, int evalBatch, Run run) throws IOException {
    Csv.Table table = Csv.read(file, options);
    int d = table.features();
    SplitPlan.Parts split = plan.apply(table.rows(), table.y());
    Normalisation stats = Normalisation.perFeature(table.x(), d, split.train());
    Splits.record(run, stats, split.describe());
    stats.apply(table.x(), d);
    List<String> classNames = table.classes();
    ArrayDataset train = dataset(manager, rows(table.x(), d, split.train()), labels(table.y(), split.train()), d,
        trainSampler);
    ArrayDataset validation = split.validation().length == 0 ? null : dataset(manager,
        rows(table.x(), d, split.validation()), labels(table.y(), split.validation()), d, sequential(evalBatch));
    ArrayDataset test = null;
    int testSize = 0;
    if (split.test().length > 0) {
      test = dataset(manager, rows(table.x(), d, split.test()), labels(table.y(), split.test()), d,
          sequential(evalBatch));
      testSize = split.test().length;
    }
    if (testFile != null && test == null) {
      Csv.Table t = Csv.read(testFile, copy(options).classes(classNames));
      if (t.features() != d) {
        throw new IOException("CSV file " + testFile + " has " + t.features() + " features, the training file " + file
            + " has " + d);
      }
      stats.apply(t.x(), d);
      test = dataset(manager, t.x(), t.y(), d, sequential(evalBatch));
      testSize = t.rows();
      classNames = t.classes(); // the training classes, plus any the test file adds
    }
    int classes = classNames.size();
    if (!options.categorical() && options.header() != Csv.Header.SKLEARN) {
      classes = classCount(table.y());
    }
    return new Loaded(train, validation, test, split.train().length, split.validation().length, testSize, d, classes,
        classNames, stats);
  }

  private static Csv.Options copy(Csv.Options o) {
    return Csv.Options.defaults().header(o.header()).delimiter(o.delimiter()).label(o.label())
        .categorical(o.categorical()).classes(o.classes());
  }

  /** max + 1 when every label is a non-negative whole number, else 0 (a regression target). */
  private static int classCount(float[] y) {
    int max = -1;
    for (float v : y) {
      if (v < 0 || v != Math.rint(v) || v > 1_000_000) {
        return 0;
      }
      max = Math.max(max, (int) v);
    }
    return max + 1;
  }

  private static Sampler sequential(int batch) {
    return new BatchSampler(new SequenceSampler(), batch, false);
  }

  private static ArrayDataset dataset(NDManager manager, float[] x, float[] y, int d, Sampler sampler) {
    return dataset(manager.create(x, new Shape(y.length, d)), y, sampler);
  }

  private static ArrayDataset dataset(NDArray x, float[] y, Sampler sampler) {
    return new ArrayDataset.Builder().setData(x).optLabels(x.getManager().create(y, new Shape(y.length)))
        .setSampling(sampler).build();
  }

  private static void checkCounts(Path imagesFile, Idx.Images images, Path labelsFile, byte[] labels) throws IOException {
    if (images.count() != labels.length) {
      throw new IOException("IDX files disagree: " + imagesFile + " holds " + images.count() + " images, " + labelsFile
          + " " + labels.length + " labels");
    }
  }

  /** Mean and std of pixel/255 over the training images, from exact integer sums. */
  static Normalisation pixelStatistics(byte[] pixels, int d, int[] rows) {
    long sum = 0;
    long sq = 0;
    for (int r : rows) {
      int base = r * d;
      // int sums per block of at most 32768 pixels cannot overflow (32768 × 255² < 2³¹) and vectorise.
      for (int from = 0; from < d; from += 32768) {
        int to = Math.min(d, from + 32768);
        int s = 0;
        int q = 0;
        for (int j = base + from; j < base + to; j++) {
          int v = pixels[j] & 0xFF;
          s += v;
          q += v * v;
        }
        sum += s;
        sq += q;
      }
    }
    double count = (double) rows.length * d;
    double mean = count == 0 ? 0 : sum / count;
    double var = count == 0 ? 0 : Math.max(0, sq / count - mean * mean);
    double std = Math.sqrt(var) / 255;
    return new Normalisation(new float[] {(float) (mean / 255)}, new float[] {std > 1e-12 ? (float) std : 1f},
        rows.length);
  }

  /**
   * The chosen images as a normalised float32 {@code [rows, d]} array: each pixel goes through a
   * table of the 256 possible values ({@code (v / 255 − mean) / std}) straight into one native
   * buffer, which the engine copies once.
   */
  private static NDArray pixels(NDManager manager, byte[] pixels, int d, int[] rows, Normalisation stats) {
    float[] table = new float[256];
    float m = stats.mean()[0];
    float inv = 1f / stats.std()[0];
    for (int v = 0; v < 256; v++) {
      table[v] = (v / 255f - m) * inv;
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(Math.multiplyExact(Math.multiplyExact(rows.length, d), 4))
        .order(ByteOrder.nativeOrder());
    FloatBuffer out = buffer.asFloatBuffer();
    float[] row = new float[d];
    for (int r : rows) {
      int src = r * d;
      for (int j = 0; j < d; j++) {
        row[j] = table[pixels[src + j] & 0xFF];
      }
      out.put(row);
    }
    return manager.create(buffer, new Shape(rows.length, d), DataType.FLOAT32);
  }

  private static float[] rows(float[] x, int d, int[] rows) {
    float[] out = new float[rows.length * d];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(x, rows[i] * d, out, i * d, d);
    }
    return out;
  }

  private static float[] labels(byte[] labels, int[] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = labels[rows[i]] & 0xFF;
    }
    return out;
  }

  private static float[] labels(float[] labels, int[] rows) {
    float[] out = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = labels[rows[i]];
    }
    return out;
  }


  private static Path find(Path dir, String name, boolean required) throws IOException {
    for (String candidate : List.of(name, name + ".gz")) {
      Path p = dir.resolve(candidate);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    if (required) {
      throw new NoSuchFileException(dir.resolve(name).toString(), null, "neither " + name + " nor " + name
          + ".gz is in " + dir);
    }
    return null;
  }
}
