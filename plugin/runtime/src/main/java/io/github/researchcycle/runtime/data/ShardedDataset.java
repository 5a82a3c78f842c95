package io.github.researchcycle.runtime.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.translate.Batchifier;
import ai.djl.util.Progress;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.runtime.EpochAware;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A data set larger than memory, streamed from fixed-size binary shards.
 *
 * <p>{@link #convert} writes the records once (float32 features and a float32 label each) into
 * shards of at most {@code shardBytes} bytes ({@code shard-00000.bin}, ...) and an
 * {@code index.json} with every shard's record count, size and sha256; when the index and the
 * shards already exist and match (same fingerprint and features, every size and sha256), it does
 * nothing. A shard is a 32-byte header ({@code RCSHARD1}, version, records, features, little-endian)
 * followed by the records, little-endian.
 *
 * <p>{@link #open} reads them as a DJL {@link Dataset}. Each epoch (set by {@link io.github.researchcycle.runtime.Fit} through
 * {@link EpochAware}) draws, from {@code seed} and the epoch only, an order of the shards and,
 * for each window of {@code window} consecutive shards in that order, an order of the window's
 * records; batches run across window boundaries, and only the last batch of an epoch may be
 * short. One background thread reads and decodes the shards ahead, at most {@code prefetch} of
 * them, into reused buffers: the heap holds the window, the prefetched shards and one batch,
 * whatever the data set's size.
 */
public final class ShardedDataset implements Dataset, EpochAware {
  /** The index file's name. */
  public static final String INDEX = "index.json";
  /** The default shard size: 8 MiB. */
  public static final long DEFAULT_SHARD_BYTES = 8L << 20;
  static final int HEADER = 32;
  private static final byte[] MAGIC = "RCSHARD1".getBytes(StandardCharsets.US_ASCII);
  private static final String FORMAT = "research-shards/1";

  /** Receives the records during {@link #convert}. */
  public interface Writer {
    /** Adds one record: {@code features.length} must be the converted data set's feature count. */
    void add(float[] features, float label) throws IOException;
  }

  /** Produces the records for {@link #convert}, in order. */
  public interface Producer {
    void produce(Writer writer) throws IOException;
  }

  /** One shard of the index. */
  public record Shard(String file, int records, long bytes, String sha256) {}

  /** The index: the feature count, the record count, the shards, and the fingerprint of the source. */
  public record Index(int features, long records, int recordsPerShard, String fingerprint, List<Shard> shards) {
    /** Bytes of all shards. */
    public long bytes() {
      return shards.stream().mapToLong(Shard::bytes).sum();
    }
  }

  private final Path dir;
  private final Index index;
  private final int batchSize;
  private final boolean shuffle;
  private final long seed;
  private final int window;
  private final int prefetch;
  private int epoch;
  private Reader current;

  private ShardedDataset(Path dir, Index index, int batchSize, boolean shuffle, long seed, int window, int prefetch) {
    this.dir = dir;
    this.index = index;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.seed = seed;
    this.window = window;
    this.prefetch = prefetch;
  }

  /**
   * Writes the records that {@code producer} gives into shards in {@code dir}, unless {@code dir}
   * already holds shards of the same {@code fingerprint} (any text that identifies the source and
   * its version, for example the source files' sha256) and {@code features} whose sizes and sha256
   * all match {@code index.json}. The index is written last, atomically: an interrupted conversion
   * is redone. Processes converting into the same folder at once take turns (a file lock); the
   * later ones find the shards done.
   */
  public static Index convert(Path dir, String fingerprint, int features, long shardBytes, Producer producer)
      throws IOException {
    if (features < 1) {
      throw new IllegalArgumentException("features must be at least 1, found " + features);
    }
    long recordBytes = 4L * (features + 1);
    long perShard = (shardBytes - HEADER) / recordBytes;
    if (perShard < 1 || perShard > Integer.MAX_VALUE / (features + 1)) {
      throw new IllegalArgumentException("shard size " + shardBytes + " does not suit records of " + recordBytes + " bytes");
    }
    Files.createDirectories(dir);
    // Two processes converting into one folder (two shells, Slurm tasks) take turns.
    try (FileChannel lock = FileChannel.open(dir.resolve(".convert.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE); var held = lock.lock()) {
      return convertLocked(dir, fingerprint, features, (int) perShard, producer);
    }
  }

  private static Index convertLocked(Path dir, String fingerprint, int features, int perShard, Producer producer)
      throws IOException {
    Index existing = matching(dir, fingerprint, features);
    if (existing != null) {
      return existing;
    }
    Files.deleteIfExists(dir.resolve(INDEX));
    try (var old = Files.list(dir)) {
      for (Path p : old.filter(p -> p.getFileName().toString().matches("shard-\\d+\\.bin")).toList()) {
        Files.delete(p);
      }
    }
    ShardWriter writer = new ShardWriter(dir, features, perShard);
    producer.produce(writer);
    writer.finish();
    Index index = new Index(features, writer.total, (int) perShard, fingerprint, List.copyOf(writer.shards));
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("format", FORMAT);
    json.put("features", features);
    json.put("records", writer.total);
    json.put("recordsPerShard", perShard);
    json.put("fingerprint", fingerprint);
    json.put("shards", index.shards());
    Json.writeAtomically(dir.resolve(INDEX), json);
    return index;
  }

  /** The index in {@code dir}. */
  public static Index index(Path dir) throws IOException {
    Path file = dir.resolve(INDEX);
    if (!Files.isRegularFile(file)) {
      throw new IOException("no shard index " + file + ": convert the data set first (ShardedDataset.convert)");
    }
    JsonNode n = Json.mapper().readTree(file.toFile());
    if (!FORMAT.equals(n.path("format").asText())) {
      throw new IOException("shard index " + file + " has format \"" + n.path("format").asText() + "\", expected " + FORMAT);
    }
    List<Shard> shards = new ArrayList<>();
    for (JsonNode s : n.path("shards")) {
      shards.add(new Shard(s.path("file").asText(), s.path("records").asInt(), s.path("bytes").asLong(),
          s.path("sha256").asText()));
    }
    return new Index(n.path("features").asInt(), n.path("records").asLong(), n.path("recordsPerShard").asInt(),
        n.path("fingerprint").asText(), List.copyOf(shards));
  }

  /** The index if the shards in {@code dir} match it and the request, else null. */
  private static Index matching(Path dir, String fingerprint, int features) throws IOException {
    if (!Files.isRegularFile(dir.resolve(INDEX))) {
      return null;
    }
    Index index;
    try {
      index = index(dir);
    } catch (IOException e) {
      return null;
    }
    if (!index.fingerprint().equals(fingerprint) || index.features() != features) {
      return null;
    }
    for (Shard s : index.shards()) {
      Path p = dir.resolve(s.file());
      if (!Files.isRegularFile(p) || Files.size(p) != s.bytes() || !s.sha256().equals(sha256(p))) {
        return null;
      }
    }
    return index;
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest digest = sha256();
    ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      while (ch.read(buffer) >= 0) {
        buffer.flip();
        digest.update(buffer);
        buffer.clear();
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class ShardWriter implements Writer {
    private final Path dir;
    private final int features;
    private final int perShard;
    private final ByteBuffer buffer;
    private final List<Shard> shards = new ArrayList<>();
    private int inShard;
    private long total;

    ShardWriter(Path dir, int features, int perShard) {
      this.dir = dir;
      this.features = features;
      this.perShard = perShard;
      this.buffer = ByteBuffer.allocate(HEADER + perShard * 4 * (features + 1)).order(ByteOrder.LITTLE_ENDIAN);
      buffer.position(HEADER);
    }

    @Override
    public void add(float[] x, float label) throws IOException {
      if (x.length != features) {
        throw new IllegalArgumentException("record " + total + " has " + x.length + " features, expected " + features);
      }
      buffer.asFloatBuffer().put(x).put(label);
      buffer.position(buffer.position() + 4 * (features + 1));
      inShard++;
      total++;
      if (inShard == perShard) {
        flush();
      }
    }

    private void flush() throws IOException {
      if (inShard == 0) {
        return;
      }
      int end = buffer.position();
      buffer.position(0);
      buffer.put(MAGIC).putInt(1).putInt(inShard).putInt(features).putInt(0).putInt(0).putInt(0);
      buffer.position(0).limit(end);
      String name = String.format(Locale.ROOT, "shard-%05d.bin", shards.size());
      MessageDigest digest = sha256();
      digest.update(buffer.duplicate());
      try (FileChannel ch = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
      }
      shards.add(new Shard(name, inShard, end, HexFormat.of().formatHex(digest.digest())));
      buffer.clear();
      buffer.position(HEADER);
      inShard = 0;
    }

    void finish() throws IOException {
      flush();
    }
  }

  /**
   * The shards in {@code dir} as a data set of batches of {@code batchSize}, shuffled per epoch
   * from {@code seed} when {@code shuffle} (training), in stored order otherwise (evaluation); a
   * window of 2 shards and a prefetch of 2 shards.
   */
  public static ShardedDataset open(Path dir, int batchSize, boolean shuffle, long seed) throws IOException {
    return open(dir, batchSize, shuffle, seed, 2, 2);
  }

  /** As {@link #open(Path, int, boolean, long)} with the window and the prefetch depth in shards. */
  public static ShardedDataset open(Path dir, int batchSize, boolean shuffle, long seed, int window, int prefetch)
      throws IOException {
    if (batchSize < 1 || window < 1 || prefetch < 1) {
      throw new IllegalArgumentException("batch size, window and prefetch must be at least 1");
    }
    return new ShardedDataset(dir, index(dir), batchSize, shuffle, seed, window, prefetch);
  }

  /** The index. */
  public Index index() {
    return index;
  }

  /** The number of records. */
  public long size() {
    return index.records();
  }

  /** The number of features per record. */
  public int features() {
    return index.features();
  }

  /** Batches per epoch (the last one may be short). */
  public long batches() {
    return (index.records() + batchSize - 1) / batchSize;
  }

  @Override
  public void setEpoch(int epoch) {
    this.epoch = epoch;
  }

  /** The epoch whose order the next iteration yields. */
  public int epoch() {
    return epoch;
  }

  @Override
  public void prepare(Progress progress) {
    // Nothing to prepare: convert() made the shards.
  }

  @Override
  public Iterable<Batch> getData(NDManager manager) {
    int e = epoch;
    return () -> {
      synchronized (this) {
        if (current != null) {
          current.cancel();
        }
        current = new Reader(manager, e);
        return current;
      }
    };
  }

  /** The shard order and the per-window record orders of one epoch. */
  private int[] shardOrder(Random random) {
    int n = index.shards().size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (shuffle) {
      shuffle(order, order.length, random);
    }
    return order;
  }

  private static void shuffle(int[] a, int n, Random random) {
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static final Object END = new Object();

  /** One epoch's iteration: a background thread decodes shards ahead; this side shuffles windows and batches. */
  private final class Reader implements Iterator<Batch> {
    private final NDManager manager;
    private final int d;
    private final int stride;
    private final Random random;
    private final int[] order;
    private final BlockingQueue<Object> ready;
    private final BlockingQueue<float[]> free;
    private final Thread thread;
    private final float[] pool;
    private final int[] perm;
    private volatile boolean cancelled;
    private int windowCount;
    private int windowPos;
    private int nextShard;
    private long done;
    private long batchIndex;

    Reader(NDManager manager, int epochNumber) {
      this.manager = manager;
      this.d = index.features();
      this.stride = d + 1;
      this.random = new Random(seed * 1_000_003L + epochNumber);
      this.order = shardOrder(random);
      int maxRecords = index.shards().stream().mapToInt(Shard::records).max().orElse(0);
      // One slot more than there are buffers: the end marker or an error always fits, so the reader never hangs.
      this.ready = new ArrayBlockingQueue<>(prefetch + 2);
      this.free = new ArrayBlockingQueue<>(prefetch + 1);
      for (int i = 0; i < prefetch + 1; i++) {
        free.add(new float[maxRecords * stride]);
      }
      this.pool = new float[Math.min(window, Math.max(1, order.length)) * maxRecords * stride];
      this.perm = new int[pool.length / stride];
      this.thread = new Thread(this::readAhead, "sharded-dataset-prefetch");
      thread.setDaemon(true);
      thread.start();
    }

    void cancel() {
      cancelled = true;
      thread.interrupt();
    }

    /** Background: decodes the shards in this epoch's order into free buffers. */
    private void readAhead() {
      ByteBuffer bytes = null;
      try {
        for (int s : order) {
          if (cancelled) {
            return;
          }
          Shard shard = index.shards().get(s);
          Path file = dir.resolve(shard.file());
          int length = (int) shard.bytes();
          if (bytes == null || bytes.capacity() < length) {
            bytes = ByteBuffer.allocateDirect(length).order(ByteOrder.LITTLE_ENDIAN);
          }
          bytes.clear().limit(length);
          try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != length) {
              throw new IOException("shard " + file + " has " + ch.size() + " bytes, the index says " + length
                  + ": convert again");
            }
            while (bytes.hasRemaining() && ch.read(bytes) >= 0) {
              // read fully
            }
          }
          bytes.flip();
          byte[] magic = new byte[MAGIC.length];
          bytes.get(magic);
          int version = bytes.getInt();
          int records = bytes.getInt();
          int features = bytes.getInt();
          if (!Arrays.equals(magic, MAGIC) || version != 1 || records != shard.records() || features != d) {
            throw new IOException("shard " + file + " has a wrong header (records " + records + ", features " + features
                + "; the index says " + shard.records() + " and " + d + "): convert again");
          }
          bytes.position(HEADER);
          float[] buffer = free.take();
          bytes.asFloatBuffer().get(buffer, 0, records * stride);
          ready.put(buffer);
        }
        ready.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException | RuntimeException e) {
        ready.offer(e);
      }
    }

    @Override
    public boolean hasNext() {
      return done < index.records();
    }

    /** Loads the next window of shards into the pool and draws its record order. */
    private void loadWindow() {
      int count = 0;
      for (int w = 0; w < window && nextShard < order.length; w++, nextShard++) {
        Object item;
        try {
          item = ready.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while reading shards", e);
        }
        if (item instanceof IOException e) {
          throw new UncheckedIOException(e.getMessage(), e);
        }
        if (item instanceof RuntimeException e) {
          throw e;
        }
        if (item == END) {
          throw new IllegalStateException("the shard reader ended early");
        }
        float[] buffer = (float[]) item;
        int records = index.shards().get(order[nextShard]).records();
        System.arraycopy(buffer, 0, pool, count * stride, records * stride);
        free.add(buffer);
        count += records;
      }
      for (int i = 0; i < count; i++) {
        perm[i] = i;
      }
      if (shuffle) {
        shuffle(perm, count, random);
      }
      windowCount = count;
      windowPos = 0;
    }

    @Override
    public Batch next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      int b = (int) Math.min(batchSize, index.records() - done);
      float[] x = new float[b * d];
      float[] y = new float[b];
      for (int i = 0; i < b; i++) {
        if (windowPos == windowCount) {
          loadWindow();
        }
        int at = perm[windowPos++] * stride;
        System.arraycopy(pool, at, x, i * d, d);
        y[i] = pool[at + d];
      }
      done += b;
      NDManager batchManager = manager.newSubManager();
      NDList data = new NDList(batchManager.create(x, new Shape(b, d)));
      NDList labels = new NDList(batchManager.create(y, new Shape(b)));
      long total = batches();
      return new Batch(batchManager, data, labels, b, Batchifier.STACK, Batchifier.STACK, batchIndex++, total);
    }
  }
}
