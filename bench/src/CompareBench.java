import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.compare.RunTable;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.core.store.RunStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The fixture and the in-process side of bench/compare.sh ({@code research:compare} on many runs).
 *
 * <ul>
 *   <li>{@code generate PROJECT_DIR RUNS SEED M2_REPO}: writes {@code PROJECT_DIR/runs/RUN_ID/run.json}
 *       for RUNS runs with research-core's own {@link RunRecord} and {@link Json#mapper()}, so the
 *       files are byte for byte what {@code research:run} writes: four experiments (smoke, baseline,
 *       wide, lr-sweep) whose resolved configs differ in three keys (model.hidden,
 *       optimizer.lr, training.epochs; and the description, which compare ignores), seeds 1-5, every
 *       status (mostly finished), three launch profiles, five final metrics (fewer or none for runs
 *       that did not finish), and the launcher's full command with its long classpath and the
 *       environment map (about 5 KB a file). Each run folder also gets its empty {@code artifacts/}.
 *       Deterministic for a seed.
 *   <li>{@code time RUNS_DIR WARMUP ROUNDS OUT_DIR}: {@link RunTable#load} + {@link RunTable#render}
 *       as the Mojo calls them: once in this fresh JVM (cold: class loading, JIT), then WARMUP
 *       untimed and ROUNDS timed passes of three cases (table; json; baseline + finished as a
 *       table). Prints {@code RESULT case first_ms median_ms min_ms load_median_ms render_median_ms rows}
 *       and writes each case's output, and the csv and markdown renders, to OUT_DIR (to compare
 *       outputs before and after a change).
 * </ul>
 *
 * <p>Prints figures only; asserts nothing about speed. Built against research-core's API.
 */
public final class CompareBench {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

  public static void main(String[] args) throws Exception {
    switch (args.length == 0 ? "" : args[0]) {
      case "generate" -> generate(Path.of(args[1]).toAbsolutePath(), Integer.parseInt(args[2]),
          Long.parseLong(args[3]), args[4]);
      case "time" -> time(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), Path.of(args[4]));
      case "profile" -> profile(args[1], Path.of(args[2]), Integer.parseInt(args[3]));
      default -> {
        System.err.println("usage: CompareBench generate PROJECT_DIR RUNS SEED M2_REPO"
            + " | time RUNS_DIR WARMUP ROUNDS OUT_DIR | profile STEP RUNS_DIR ROUNDS");
        System.exit(2);
      }
    }
  }

  // --- the fixture ----------------------------------------------------------------------------

  private record Experiment(String name, String description, int hidden, int layers, double lr, int epochs,
      int samples, double weight, List<String> sources) {}

  private static final List<Experiment> EXPERIMENTS = List.of(
      new Experiment("smoke", "A tiny MLP on a few hundred spiral points: seconds on a CPU", 16, 1, 0.01, 2, 20000,
          0.08, List.of("experiments/smoke.yaml")),
      new Experiment("baseline", "MLP with one 64-unit hidden layer on three-arm spirals", 64, 1, 0.01, 55, 20000,
          0.34, List.of("experiments/baseline.yaml")),
      new Experiment("wide", "MLP with one 256-unit hidden layer on three-arm spirals", 256, 1, 0.01, 55, 20000,
          0.34, List.of("experiments/baseline.yaml", "experiments/wide.yaml")),
      new Experiment("lr-sweep", "The baseline MLP at other learning rates", 64, 1, 0.003, 55, 20000,
          0.24, List.of("experiments/baseline.yaml", "experiments/lr-sweep.yaml")));

  private static final String[] METRICS = {"loss", "train_accuracy", "train_loss", "validate_accuracy",
      "validate_loss"};
  private static final double[] SWEEP_LR = {0.001, 0.003, 0.01, 0.03};

  /** The runtime classpath of a generated project (as in a real run.json), under M2_REPO. */
  private static final String[] CLASSPATH = {
      "io/github/researchcycle/research-runtime/0.1.0-SNAPSHOT/research-runtime-0.1.0-SNAPSHOT.jar",
      "io/github/researchcycle/research-core/0.1.0-SNAPSHOT/research-core-0.1.0-SNAPSHOT.jar",
      "io/github/researchcycle/research-templates/0.1.0-SNAPSHOT/research-templates-0.1.0-SNAPSHOT.jar",
      "org/eclipse/jgit/org.eclipse.jgit/7.1.0.202411261347-r/org.eclipse.jgit-7.1.0.202411261347-r.jar",
      "com/googlecode/javaewah/JavaEWAH/1.2.3/JavaEWAH-1.2.3.jar",
      "com/fasterxml/jackson/core/jackson-databind/2.18.2/jackson-databind-2.18.2.jar",
      "com/fasterxml/jackson/core/jackson-annotations/2.18.2/jackson-annotations-2.18.2.jar",
      "com/fasterxml/jackson/core/jackson-core/2.18.2/jackson-core-2.18.2.jar",
      "com/fasterxml/jackson/dataformat/jackson-dataformat-yaml/2.18.2/jackson-dataformat-yaml-2.18.2.jar",
      "org/yaml/snakeyaml/2.3/snakeyaml-2.3.jar",
      "com/fasterxml/jackson/datatype/jackson-datatype-jsr310/2.18.2/jackson-datatype-jsr310-2.18.2.jar",
      "org/apache/velocity/velocity-engine-core/2.4.1/velocity-engine-core-2.4.1.jar",
      "org/apache/commons/commons-lang3/3.17.0/commons-lang3-3.17.0.jar",
      "org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar",
      "org/jfree/jfreechart/1.5.6/jfreechart-1.5.6.jar",
      "org/jfree/org.jfree.svg/5.0.6/org.jfree.svg-5.0.6.jar",
      "org/commonmark/commonmark/0.24.0/commonmark-0.24.0.jar",
      "org/commonmark/commonmark-ext-gfm-tables/0.24.0/commonmark-ext-gfm-tables-0.24.0.jar",
      "me/tongfei/progressbar/0.10.1/progressbar-0.10.1.jar",
      "org/jline/jline-terminal/3.24.1/jline-terminal-3.24.1.jar",
      "org/jline/jline-native/3.24.1/jline-native-3.24.1.jar",
      "ai/djl/api/0.33.0/api-0.33.0.jar",
      "com/google/code/gson/gson/2.13.1/gson-2.13.1.jar",
      "com/google/errorprone/error_prone_annotations/2.38.0/error_prone_annotations-2.38.0.jar",
      "net/java/dev/jna/jna/5.14.0/jna-5.14.0.jar",
      "org/apache/commons/commons-compress/1.27.1/commons-compress-1.27.1.jar",
      "commons-codec/commons-codec/1.17.1/commons-codec-1.17.1.jar",
      "commons-io/commons-io/2.16.1/commons-io-2.16.1.jar",
      "org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar",
      "ai/djl/pytorch/pytorch-engine/0.33.0/pytorch-engine-0.33.0.jar",
      "ai/djl/pytorch/pytorch-jni/2.5.1-0.33.0/pytorch-jni-2.5.1-0.33.0.jar",
      "ai/djl/pytorch/pytorch-native-cpu/2.5.1/pytorch-native-cpu-2.5.1-linux-x86_64.jar",
      "org/slf4j/slf4j-simple/2.0.16/slf4j-simple-2.0.16.jar"};

  private static void generate(Path project, int runs, long seed, String m2) throws Exception {
    ObjectMapper mapper = Json.mapper();
    Random random = new Random(seed);
    Path runsDir = project.resolve("runs");
    Files.createDirectories(runsDir);
    String classpath = project.resolve("target/classes") + ":"
        + String.join(":", Arrays.stream(CLASSPATH).map(j -> m2 + "/" + j).toList());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    HexFormat hex = HexFormat.of();
    Instant clock = Instant.parse("2026-01-05T08:00:00Z");
    String commit = hex.formatHex(randomBytes(random, 20));
    long bytes = 0;
    int[] perExperiment = new int[EXPERIMENTS.size()];
    Map<String, Integer> perStatus = new TreeMap<>();
    for (int i = 0; i < runs; i++) {
      clock = clock.plusMillis(30_000 + random.nextInt(600_000));
      if (random.nextInt(40) == 0) {
        commit = hex.formatHex(randomBytes(random, 20));
      }
      Experiment e = pick(random);
      perExperiment[EXPERIMENTS.indexOf(e)]++;
      long runSeed = 1 + (i % 5);
      List<String> overrides = new ArrayList<>();
      double lr = e.lr();
      if (e.name().equals("lr-sweep")) {
        lr = SWEEP_LR[random.nextInt(SWEEP_LR.length)];
        overrides.add("optimizer.lr=" + lr);
      }
      int epochs = e.epochs();
      if (!e.name().equals("smoke") && random.nextInt(4) == 0) {
        epochs = 30 + 5 * random.nextInt(10);
        overrides.add("training.epochs=" + epochs);
      }
      ObjectNode config = mapper.createObjectNode();
      config.put("description", e.description());
      config.put("main", "bench.Train");
      ObjectNode data = config.putObject("data");
      data.put("name", "synthetic");
      data.put("samples", e.samples());
      data.put("classes", 3);
      data.put("noise", 0.2);
      data.put("validation", 0.2);
      ObjectNode model = config.putObject("model");
      model.put("hidden", e.hidden());
      model.put("layers", e.layers());
      ObjectNode optimizer = config.putObject("optimizer");
      optimizer.put("name", "adam");
      optimizer.put("lr", lr);
      ObjectNode training = config.putObject("training");
      training.put("epochs", epochs);
      training.put("batch", 64);
      String configHash = "sha256:" + hex.formatHex(sha.digest(
          mapper.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsBytes(config)));

      RunStatus status = pickStatus(random, i, runs);
      perStatus.merge(status.json(), 1, Integer::sum);
      String profile = e.name().equals("smoke") ? "local" : new String[] {"local", "gpu", "slurm"}[random.nextInt(3)];
      String host = profile.equals("slurm") ? "node" + String.format(Locale.ROOT, "%03d", random.nextInt(64))
          : profile.equals("gpu") ? "gpubox" : "vm";
      long pid = 1000 + random.nextInt(400_000);
      String id = STAMP.format(clock) + "-" + letters(random);
      double seconds = e.name().equals("smoke") ? 3 + random.nextDouble() * 4
          : epochs * (0.08 + random.nextDouble() * 0.04) * (e.hidden() / 64.0 + 1);
      Instant ended = clock.plusMillis((long) (seconds * 1000));
      String reason = null;
      Integer exitCode = null;
      int metricCount = METRICS.length;
      switch (status) {
        case FINISHED -> exitCode = 0;
        case FAILED -> {
          exitCode = 1;
          reason = "the training process exited with code 1 (see output.log)";
          metricCount = random.nextInt(3);
        }
        case CRASHED -> {
          reason = "the training process (pid " + pid + ") disappeared without exiting: killed by a signal, out of"
              + " memory, or its launcher died";
          metricCount = 2 + random.nextInt(2);
        }
        case INTERRUPTED -> {
          exitCode = 130;
          reason = "stopped on request (SIGINT)";
          metricCount = 3;
        }
        case RUNNING -> metricCount = 0;
      }
      if (status == RunStatus.RUNNING) {
        ended = null;
      }
      boolean clean = random.nextInt(20) != 0;
      GitProvenance git = new GitProvenance(commit, "main", clean,
          clean ? null : "sha256:" + hex.formatHex(randomBytes(random, 32)),
          clean ? List.of() : List.of("src/main/java/bench/Train.java"), "");
      Map<String, Object> env = new LinkedHashMap<>();
      env.put("host", host);
      env.put("java", "17.0.15");
      env.put("javaVendor", "Debian");
      env.put("javaVm", "OpenJDK 64-Bit Server VM");
      env.put("os", "Linux 6.18.44-fc-v657");
      env.put("arch", "amd64");
      env.put("cpus", profile.equals("local") ? 2 : 32);
      env.put("maxHeapBytes", 1073741824L);
      env.put("pid", pid);
      env.put("engine", "PyTorch");
      env.put("engineVersion", "2.5.1");
      env.put("djl", "0.33.0");
      env.put("devices", profile.equals("local") ? List.of("cpu()") : List.of("gpu(0)"));
      env.put("gpus", profile.equals("local") ? 0 : 1);
      env.put("seed", runSeed);
      Path runDir = runsDir.resolve(id);
      List<String> command = List.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java", "-Xmx1g",
          "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8", "-Dai.djl.offline=true",
          "-Dresearch.run.dir=" + runDir, "-Dresearch.console=plain", "-cp", classpath, "bench.Train");
      RunRecord.Launcher launcher = new RunRecord.Launcher(profile.equals("slurm") ? "slurm" : "local", command, "1g",
          profile.equals("slurm") ? String.valueOf(4_000_000 + i) : null);
      Map<String, Double> finals = null;
      if (metricCount > 0) {
        finals = new LinkedHashMap<>();
        double acc = 0.9 + random.nextDouble() * 0.099;
        double[] values = {random.nextDouble() * 1e-3, acc + 0.001, 0.01 * random.nextDouble(), acc,
            0.01 * random.nextDouble() + 0.002};
        for (int m = 0; m < metricCount; m++) {
          finals.put(METRICS[m], values[m]);
        }
      }
      RunRecord r = new RunRecord(RunRecord.SCHEMA, id, e.name(), profile, status, reason, clock, ended,
          ended == null ? null : (ended.toEpochMilli() - clock.toEpochMilli()) / 1000.0, exitCode, host, pid, git,
          false, config, configHash, e.sources(), overrides, "bench.Train", runSeed, env, null, launcher, null, finals, null, null);
      Files.createDirectories(runDir.resolve(RunStore.ARTIFACTS));
      byte[] json = (mapper.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
      Files.write(runDir.resolve(RunStore.RUN_JSON), json);
      bytes += json.length;
    }
    StringBuilder counts = new StringBuilder();
    for (int k = 0; k < EXPERIMENTS.size(); k++) {
      counts.append(k == 0 ? "" : ", ").append(EXPERIMENTS.get(k).name()).append(' ').append(perExperiment[k]);
    }
    System.out.printf(Locale.ROOT, "generated %d runs (%s; %s), %.1f MB of run.json, %.0f bytes a file%n", runs,
        counts, perStatus.toString().replaceAll("[{}]", "").replace("=", " "), bytes / 1e6, (double) bytes / runs);
  }

  private static Experiment pick(Random random) {
    double x = random.nextDouble();
    for (Experiment e : EXPERIMENTS) {
      x -= e.weight();
      if (x < 0) {
        return e;
      }
    }
    return EXPERIMENTS.get(EXPERIMENTS.size() - 1);
  }

  private static RunStatus pickStatus(Random random, int i, int runs) {
    if (i >= runs - 3) {
      return RunStatus.RUNNING; // the newest few are still going
    }
    int x = random.nextInt(100);
    return x < 86 ? RunStatus.FINISHED : x < 93 ? RunStatus.FAILED : x < 97 ? RunStatus.CRASHED
        : RunStatus.INTERRUPTED;
  }

  private static String letters(Random random) {
    StringBuilder b = new StringBuilder(8);
    long bits = random.nextLong();
    for (int i = 0; i < 8; i++) {
      b.append(ALPHABET[(int) (bits & 31)]);
      bits >>>= 5;
    }
    return b.toString();
  }

  private static byte[] randomBytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  // --- in-process timing ------------------------------------------------------------------------

  private record Case(String name, Set<String> experiments, Set<String> statuses, RunTable.Format format) {}

  private static void time(Path runsDir, int warmup, int rounds, Path out) throws Exception {
    List<Case> cases = List.of(
        new Case("table", null, null, RunTable.Format.TABLE),
        new Case("json", null, null, RunTable.Format.JSON),
        new Case("filtered", Set.of("baseline"), Set.of("finished"), RunTable.Format.TABLE));
    Files.createDirectories(out);
    Map<String, double[]> first = new LinkedHashMap<>();
    // The first call in this JVM, as in a fresh Maven JVM's plugin realm: the table case first.
    for (Case c : cases) {
      first.put(c.name(), once(c, runsDir, out));
    }
    // The other formats, untimed, for comparing outputs before and after a change.
    RunTable.Table all = RunTable.load(runsDir, null, null);
    Files.writeString(out.resolve("csv.out"), RunTable.render(all, RunTable.Format.CSV));
    Files.writeString(out.resolve("markdown.out"), RunTable.render(all, RunTable.Format.MARKDOWN));
    for (int w = 0; w < warmup; w++) {
      for (Case c : cases) {
        once(c, runsDir, null);
      }
    }
    Map<String, List<double[]>> timed = new LinkedHashMap<>();
    for (int r = 0; r < rounds; r++) {
      for (Case c : cases) { // alternating, so that a disturbance spreads over the cases
        timed.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(once(c, runsDir, null));
      }
    }
    for (Case c : cases) {
      List<double[]> t = timed.get(c.name());
      double[] total = t.stream().mapToDouble(x -> x[0] + x[1]).sorted().toArray();
      double[] load = t.stream().mapToDouble(x -> x[0]).sorted().toArray();
      double[] render = t.stream().mapToDouble(x -> x[1]).sorted().toArray();
      double[] f = first.get(c.name());
      System.out.printf(Locale.ROOT, "RESULT %s %.1f %.1f %.1f %.1f %.1f %d%n", c.name(), f[0] + f[1],
          median(total), total[0], median(load), median(render), (long) f[2]);
    }
  }

  /** One load + render; returns {load ms, render ms, rows}. Writes the output when {@code out} is set. */
  private static double[] once(Case c, Path runsDir, Path out) throws Exception {
    long t0 = System.nanoTime();
    RunTable.Table table = RunTable.load(runsDir, c.experiments(), c.statuses());
    long t1 = System.nanoTime();
    String text = RunTable.render(table, c.format());
    long t2 = System.nanoTime();
    if (out != null) {
      Files.writeString(out.resolve(c.name() + ".out"), text);
    }
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6, table.rows().size()};
  }

  // --- where the time goes ------------------------------------------------------------------------

  /**
   * One step of RunTable.load/render on its own, in this fresh JVM: first (cold), then ROUNDS
   * untimed and ROUNDS timed passes (median). Prints {@code PROFILE step first_ms median_ms}.
   */
  private static void profile(String step, Path runsDir, int rounds) throws Exception {
    java.lang.reflect.Method read = RunTable.class.getDeclaredMethod("read", Path.class);
    read.setAccessible(true);
    RunTable.Table loaded = step.startsWith("render-") ? RunTable.load(runsDir, null, null) : null;
    Callable<Object> call = switch (step) {
      case "list" -> () -> listRuns(runsDir).size() + " run.json files";
      case "bytes-seq" -> () -> listRuns(runsDir).stream().mapToLong(CompareBench::readBytes).sum() + " bytes";
      case "bytes-par" -> () -> listRuns(runsDir).parallelStream().mapToLong(CompareBench::readBytes).sum()
          + " bytes";
      case "tokens-seq" -> () -> listRuns(runsDir).stream().mapToLong(CompareBench::tokens).sum() + " tokens";
      case "tokens-par" -> () -> listRuns(runsDir).parallelStream().mapToLong(CompareBench::tokens).sum()
          + " tokens";
      case "read-seq" -> () -> listRuns(runsDir).stream().map(d -> invoke(read, d))
          .filter(java.util.Objects::nonNull).count() + " rows";
      case "read-par" -> () -> listRuns(runsDir).parallelStream().map(d -> invoke(read, d))
          .filter(java.util.Objects::nonNull).count() + " rows";
      case "load" -> () -> RunTable.load(runsDir, null, null).rows().size() + " rows";
      case "load+table" -> () -> RunTable.render(RunTable.load(runsDir, null, null), RunTable.Format.TABLE).length()
          + " chars";
      case "render-table" -> () -> RunTable.render(loaded, RunTable.Format.TABLE).length() + " chars";
      case "render-json" -> () -> RunTable.render(loaded, RunTable.Format.JSON).length() + " chars";
      case "render-csv" -> () -> RunTable.render(loaded, RunTable.Format.CSV).length() + " chars";
      case "render-markdown" -> () -> RunTable.render(loaded, RunTable.Format.MARKDOWN).length() + " chars";
      default -> throw new IllegalArgumentException("unknown step " + step);
    };
    long t0 = System.nanoTime();
    Object result = call.call();
    double first = (System.nanoTime() - t0) / 1e6;
    for (int r = 0; r < rounds; r++) {
      call.call(); // warm-up
    }
    double[] warm = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      long t = System.nanoTime();
      call.call();
      warm[r] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(warm);
    System.out.printf(Locale.ROOT, "PROFILE %s %.1f %.1f %s%n", step, first, median(warm), result);
  }

  /** The run folders as RunTable lists them, with their run.json. */
  private static List<Path> listRuns(Path runsDir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> list = Files.list(runsDir)) {
      return list.filter(d -> io.github.researchcycle.model.RunIds.isValid(d.getFileName().toString()))
          .sorted().map(d -> d.resolve(RunStore.RUN_JSON)).toList();
    }
  }

  private static long readBytes(Path file) {
    try {
      return Files.readAllBytes(file).length;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Every token of the file, values skipped unread: the floor of any streaming parse. */
  private static long tokens(Path file) {
    try (com.fasterxml.jackson.core.JsonParser p = Json.mapper().getFactory().createParser(file.toFile())) {
      long n = 0;
      while (p.nextToken() != null) {
        n++;
      }
      return n;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Object invoke(java.lang.reflect.Method m, Path runDir) {
    try {
      return m.invoke(null, runDir);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
