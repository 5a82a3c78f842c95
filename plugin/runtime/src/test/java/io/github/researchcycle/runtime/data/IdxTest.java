package io.github.researchcycle.runtime.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  /** An IDX images file of {@code n} images of rows × cols, pixel (i, j) = (i * 7 + j) mod 256. */
  static byte[] images(int n, int rows, int cols) {
    ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols);
    b.putInt(Idx.IMAGES).putInt(n).putInt(rows).putInt(cols);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < rows * cols; j++) {
        b.put((byte) ((i * 7 + j) % 256));
      }
    }
    return b.array();
  }

  static byte[] labels(int n, int classes) {
    ByteBuffer b = ByteBuffer.allocate(8 + n);
    b.putInt(Idx.LABELS).putInt(n);
    for (int i = 0; i < n; i++) {
      b.put((byte) (i % classes));
    }
    return b.array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(raw);
    }
    return bytes.toByteArray();
  }

  @Test
  void readsRawAndGzipAlike(@TempDir Path dir) throws Exception {
    byte[] raw = images(5, 3, 4);
    Files.write(dir.resolve("raw"), raw);
    Files.write(dir.resolve("compressed.idx"), gzip(raw)); // the name does not say gzip: the bytes do
    for (String name : new String[] {"raw", "compressed.idx"}) {
      Idx.Images im = Idx.readImages(dir.resolve(name));
      assertEquals(5, im.count());
      assertEquals(3, im.rows());
      assertEquals(4, im.cols());
      assertArrayEquals(Arrays.copyOfRange(raw, 16, raw.length), im.pixels());
    }
    Files.write(dir.resolve("l.gz"), gzip(labels(5, 3)));
    assertArrayEquals(new byte[] {0, 1, 2, 0, 1}, Idx.readLabels(dir.resolve("l.gz")));
  }

  private static String error(Path file) {
    return assertThrows(IOException.class, () -> Idx.readImages(file)).getMessage();
  }

  @Test
  void wrongOrTruncatedFilesNameTheFileAndTheProblem(@TempDir Path dir) throws Exception {
    byte[] raw = images(4, 2, 2);
    Path truncated = dir.resolve("truncated");
    Files.write(truncated, Arrays.copyOf(raw, raw.length - 3));
    String m = error(truncated);
    assertTrue(m.contains(truncated.toString()) && m.contains("truncated") && m.contains("[4, 2, 2]"), m);

    Path longer = dir.resolve("longer");
    Files.write(longer, Arrays.copyOf(raw, raw.length + 2));
    m = error(longer);
    assertTrue(m.contains("2 bytes after the data"), m);

    Path labelsAsImages = dir.resolve("labels");
    Files.write(labelsAsImages, labels(3, 2));
    m = error(labelsAsImages);
    assertTrue(m.contains("magic number 0x00000801") && m.contains("expected 0x00000803"), m);

    Path garbage = dir.resolve("garbage");
    Files.write(garbage, "hello world, not idx".getBytes());
    assertTrue(error(garbage).contains("magic number"));

    Path header = dir.resolve("header");
    Files.write(header, Arrays.copyOf(raw, 9));
    assertTrue(error(header).contains("truncated in its header"), error(header));

    Path zero = dir.resolve("zero");
    byte[] z = raw.clone();
    z[7] = 0; // count 0
    Files.write(zero, z);
    assertTrue(error(zero).contains("dimension 0 is 0"), error(zero));

    byte[] gz = gzip(raw);
    Path truncatedGzip = dir.resolve("t.gz");
    Files.write(truncatedGzip, Arrays.copyOf(gz, gz.length - 12));
    m = error(truncatedGzip);
    assertTrue(m.contains(truncatedGzip.toString()) && (m.contains("truncated") || m.contains("damaged")), m);

    Path shortGzip = dir.resolve("s.gz");
    Files.write(shortGzip, gzip(Arrays.copyOf(raw, raw.length - 1)));
    m = error(shortGzip);
    assertTrue(m.contains("(gzip) is truncated"), m);

    assertThrows(NoSuchFileException.class, () -> Idx.readImages(dir.resolve("absent")));
  }

  /**
   * A real data set's folder: {@code -Dproperty=DIR}, else the plugin's shared data cache
   * ({@code RESEARCH_DATA_CACHE}, or {@code ~/.cache/research-cycle/data}), where {@code research:data
   * -Dresearch.data.fetch} or any run of a repository that uses the data set puts it.
   */
  private static Path realDir(String property, String name) {
    String p = System.getProperty(property);
    if (p != null) {
      return Files.isDirectory(Path.of(p)) ? Path.of(p) : null;
    }
    String env = System.getenv("RESEARCH_DATA_CACHE");
    Path cache = env != null && !env.isBlank() ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "research-cycle", "data");
    Path dir = cache.resolve(name);
    return Files.isDirectory(dir) ? dir : null;
  }

  @Test
  void realMnistCounts() throws Exception {
    Path dir = realDir("research.test.mnist", "mnist");
    Assumptions.assumeTrue(dir != null, "MNIST is not in the shared data cache: fetch it with mvn research:data "
        + "-Dresearch.data.fetch in samples/lenet5-mnist, or pass -Dresearch.test.mnist=DIR");
    check(dir, "");
  }

  @Test
  void realFashionMnistCountsFromGzip() throws Exception {
    Path dir = realDir("research.test.fashion", "fashion-mnist");
    Assumptions.assumeTrue(dir != null, "Fashion-MNIST is not in the shared data cache: fetch it with mvn "
        + "research:data -Dresearch.data.fetch in samples/fashion-mnist-mlp, or pass -Dresearch.test.fashion=DIR");
    check(dir, ".gz");
  }

  private static void check(Path dir, String ext) throws IOException {
    Idx.Images train = Idx.readImages(dir.resolve("train-images-idx3-ubyte" + ext));
    assertEquals(60000, train.count());
    assertEquals(28, train.rows());
    assertEquals(28, train.cols());
    assertEquals(60000, Idx.readLabels(dir.resolve("train-labels-idx1-ubyte" + ext)).length);
    assertEquals(10000, Idx.readImages(dir.resolve("t10k-images-idx3-ubyte" + ext)).count());
    byte[] test = Idx.readLabels(dir.resolve("t10k-labels-idx1-ubyte" + ext));
    assertEquals(10000, test.length);
    int max = 0;
    for (byte b : test) {
      max = Math.max(max, b);
    }
    assertEquals(9, max);
  }
}
