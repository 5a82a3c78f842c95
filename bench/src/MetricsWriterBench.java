import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.researchcycle.model.MetricsWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sustained throughput of the metric logger, {@link MetricsWriter#open(Path)}, from one thread,
 * against two named baselines in the same JVM:
 *
 * <ul>
 *   <li>{@code naive-format}: a {@link BufferedWriter} with one {@code String.format} per line
 *       (the baseline of the printed ratio);
 *   <li>{@code jackson-line}: a Jackson {@link JsonGenerator} writing one object per line.
 * </ul>
 *
 * <p>Every writer logs the same sequence of (name, value, step, epoch) for a fixed wall time, after
 * a warm-up of its own, and is flushed to the file at least once per second (MetricsWriter by its
 * own timer thread, the baselines by the logging thread). After close, the file's line count must
 * equal the number of values logged and the first and last lines must parse as the expected JSON.
 *
 * <p>Prints figures only; it asserts nothing about speed. A failed correctness check exits with 1.
 *
 * <p>Usage: {@code java -cp ... MetricsWriterBench [seconds=10] [warmupSeconds=3] [dir=tmp] [rounds=1]}
 */
public final class MetricsWriterBench {
  private static final String[] NAMES = {"train/loss", "train/accuracy", "lr", "grad_norm"};
  private static final long GOAL_VALUES_PER_SECOND = 1_000_000;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** One way of writing metric lines. */
  interface Sink extends AutoCloseable {
    void log(String name, double value, long step, int epoch) throws IOException;

    /** Called by the logging thread about once per second; MetricsWriter flushes on its own. */
    void tick() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** The writer under test: flushes by its own one-second timer. */
  static final class Product implements Sink {
    private final MetricsWriter w;

    Product(Path file) throws IOException {
      this.w = MetricsWriter.open(file);
    }

    @Override
    public void log(String name, double value, long step, int epoch) {
      w.log(name, value, step, epoch);
    }

    @Override
    public void tick() {}

    @Override
    public void close() throws IOException {
      w.close();
    }
  }

  /** The naive baseline: BufferedWriter, String.format per line, flushed once per second. */
  static final class NaiveFormat implements Sink {
    private final BufferedWriter out;

    NaiveFormat(Path file) throws IOException {
      this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public void log(String name, double value, long step, int epoch) throws IOException {
      out.write(String.format(Locale.ROOT, "{\"step\":%d,\"epoch\":%d,\"name\":\"%s\",\"value\":%s,\"time\":%d}\n",
          step, epoch, name, Double.toString(value), System.currentTimeMillis()));
    }

    @Override
    public void tick() throws IOException {
      out.flush();
    }

    @Override
    public void close() throws IOException {
      out.close();
    }
  }

  /** Jackson's streaming generator, one JSON object per line, flushed once per second. */
  static final class JacksonLine implements Sink {
    private final OutputStream stream;
    private final JsonGenerator g;

    JacksonLine(Path file) throws IOException {
      this.stream = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND);
      JsonFactory factory = new JsonFactory();
      factory.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      this.g = factory.createGenerator(stream, JsonEncoding.UTF8);
      g.setRootValueSeparator(null);
    }

    @Override
    public void log(String name, double value, long step, int epoch) throws IOException {
      g.writeStartObject();
      g.writeNumberField("step", step);
      g.writeNumberField("epoch", epoch);
      g.writeStringField("name", name);
      g.writeNumberField("value", value);
      g.writeNumberField("time", System.currentTimeMillis());
      g.writeEndObject();
      g.writeRaw('\n');
    }

    @Override
    public void tick() throws IOException {
      g.flush();
    }

    @Override
    public void close() throws IOException {
      g.close();
      stream.close();
    }
  }

  interface SinkFactory {
    Sink open(Path file) throws IOException;
  }

  record Result(String name, long values, double seconds, long bytes, long lines, boolean ok, String problem) {
    double valuesPerSecond() {
      return values / seconds;
    }

    double megabytesPerSecond() {
      return bytes / seconds / 1e6;
    }
  }

  /** The values logged: deterministic, realistic (full-precision doubles, four names per step). */
  private static double valueAt(long i) {
    // A cheap LCG so that values have ~17 significant digits like real losses, not round numbers.
    long x = i * 6364136223846793005L + 1442695040888963407L;
    return ((x >>> 11) * 0x1.0p-53) * 3.0;
  }

  private static Result measure(String name, SinkFactory factory, Path file, double seconds) throws Exception {
    Files.deleteIfExists(file);
    long values = 0;
    long start;
    long end;
    try (Sink sink = factory.open(file)) {
      start = System.nanoTime();
      long deadline = start + (long) (seconds * NANOS_PER_SECOND);
      long nextTick = start + NANOS_PER_SECOND;
      long now = start;
      while (now < deadline) {
        // Check the clock every 1024 values; a step logs NAMES.length values.
        for (int k = 0; k < 1024; k++) {
          long step = values >>> 2;
          sink.log(NAMES[(int) (values & 3)], valueAt(values), step, (int) (step / 10_000));
          values++;
        }
        now = System.nanoTime();
        if (now >= nextTick) {
          sink.tick();
          nextTick += NANOS_PER_SECOND;
        }
      }
      end = System.nanoTime();
    }
    // Timed section ends after the last log call; close (the final flush) is outside it, as in a
    // training run, where it happens once at the end.
    double elapsed = (end - start) / 1e9;
    long bytes = Files.size(file);
    long lines = countLines(file);
    String problem = null;
    if (lines != values) {
      problem = "line count " + lines + " != values logged " + values;
    } else {
      problem = checkEnds(file, values);
    }
    Files.delete(file);
    return new Result(name, values, elapsed, bytes, lines, problem == null, problem);
  }

  private static long countLines(Path file) throws IOException {
    long lines = 0;
    byte[] buf = new byte[1 << 20];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            lines++;
          }
        }
      }
    }
    return lines;
  }

  /** The first and last lines must be the first and last values logged, as JSON. */
  private static String checkEnds(Path file, long values) throws IOException {
    ObjectMapper json = new ObjectMapper();
    String first;
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      first = r.readLine();
    }
    String last = lastLine(file);
    String p = checkLine(json, first, 0);
    return p != null ? p : checkLine(json, last, values - 1);
  }

  private static String checkLine(ObjectMapper json, String line, long i) throws IOException {
    JsonNode n = json.readTree(line);
    long step = i >>> 2;
    if (n.path("step").asLong() != step || n.path("epoch").asInt() != (int) (step / 10_000)
        || !n.path("name").asText().equals(NAMES[(int) (i & 3)]) || n.path("value").asDouble() != valueAt(i)
        || !n.path("time").canConvertToLong()) {
      return "line " + (i + 1) + " is not the value logged: " + line;
    }
    return null;
  }

  private static String lastLine(Path file) throws IOException {
    try (var ch = java.nio.channels.FileChannel.open(file)) {
      long size = ch.size();
      int len = (int) Math.min(size, 4096);
      var buf = java.nio.ByteBuffer.allocate(len);
      ch.read(buf, size - len);
      String tail = new String(buf.array(), 0, len, StandardCharsets.UTF_8);
      String trimmed = tail.endsWith("\n") ? tail.substring(0, tail.length() - 1) : tail;
      return trimmed.substring(trimmed.lastIndexOf('\n') + 1);
    }
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    double warmup = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("metrics-bench");
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Files.createDirectories(dir);

    List<String> names = List.of("MetricsWriter", "naive-format", "jackson-line");
    List<SinkFactory> factories = List.of(Product::new, NaiveFormat::new, JacksonLine::new);
    String baseline = "naive-format";

    System.out.printf(Locale.ROOT, "MetricsWriter throughput, %s%n", Instant.now());
    System.out.printf(Locale.ROOT, "java %s (%s), %d CPUs, file in %s%n", System.getProperty("java.version"),
        System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(), dir.toAbsolutePath());
    System.out.printf(Locale.ROOT, "one logging thread; per writer %.0f s warm-up, then %d x %.0f s measured"
        + " (writers alternate each round); flushed to the file every second%n%n", warmup, rounds, seconds);

    for (int i = 0; i < names.size(); i++) {
      Result w = measure(names.get(i), factories.get(i), dir.resolve("warmup-" + names.get(i) + ".jsonl"), warmup);
      System.out.printf(Locale.ROOT, "warm-up %-14s %,12.0f values/s%s%n", w.name(), w.valuesPerSecond(),
          w.ok() ? "" : "  CHECK FAILED: " + w.problem());
    }
    System.out.println();

    // Per writer: the sum over rounds (values, seconds, bytes), and every round's own figure.
    List<List<Result>> perWriter = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      perWriter.add(new ArrayList<>());
    }
    for (int round = 0; round < rounds; round++) {
      for (int i = 0; i < names.size(); i++) {
        System.gc();
        perWriter.get(i).add(measure(names.get(i), factories.get(i), dir.resolve(names.get(i) + ".jsonl"), seconds));
      }
    }
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      List<Result> rs = perWriter.get(i);
      String problems = rs.stream().filter(r -> !r.ok()).map(Result::problem).reduce((a, b) -> a + "; " + b).orElse(null);
      results.add(new Result(names.get(i), rs.stream().mapToLong(Result::values).sum(),
          rs.stream().mapToDouble(Result::seconds).sum(), rs.stream().mapToLong(Result::bytes).sum(),
          rs.stream().mapToLong(Result::lines).sum(), problems == null, problems));
    }
    Result base = results.stream().filter(r -> r.name().equals(baseline)).findFirst().orElseThrow();

    System.out.printf(Locale.ROOT, "%-14s %13s %7s %13s %8s %10s %9s  %s%n", "writer", "values", "seconds",
        "values/s", "MB/s", "bytes/line", "vs naive", "lines = values logged");
    boolean allOk = true;
    for (int i = 0; i < results.size(); i++) {
      Result r = results.get(i);
      allOk &= r.ok();
      System.out.printf(Locale.ROOT, "%-14s %,13d %7.2f %,13.0f %8.1f %10.1f %8.2fx  %s%n", r.name(), r.values(),
          r.seconds(), r.valuesPerSecond(), r.megabytesPerSecond(), (double) r.bytes() / r.values(),
          r.valuesPerSecond() / base.valuesPerSecond(), r.ok() ? "yes (" + r.lines() + " lines)" : "NO: " + r.problem());
      if (rounds > 1) {
        StringBuilder each = new StringBuilder();
        for (Result x : perWriter.get(i)) {
          each.append(String.format(Locale.ROOT, " %,.0f", x.valuesPerSecond()));
        }
        System.out.printf(Locale.ROOT, "%-14s   rounds (values/s):%s%n", "", each);
      }
    }
    Result product = results.get(0);
    System.out.println();
    System.out.printf(Locale.ROOT, "goal: MetricsWriter >= %,d values/s: %s (%,.0f values/s, %.1f MB/s; MB = 10^6 bytes)%n",
        GOAL_VALUES_PER_SECOND, product.valuesPerSecond() >= GOAL_VALUES_PER_SECOND ? "MET" : "MISSED",
        product.valuesPerSecond(), product.megabytesPerSecond());
    System.out.printf(Locale.ROOT, "ratio MetricsWriter / %s (BufferedWriter + String.format per line): %.2fx%n",
        baseline, product.valuesPerSecond() / base.valuesPerSecond());
    if (!allOk) {
      System.out.println("CORRECTNESS CHECK FAILED: the file does not hold every value logged (see the table)");
      System.exit(1);
    }
  }
}
