package io.github.researchcycle.runtime.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format) of unsigned bytes, raw or gzip-compressed: {@code 0x00000801}
 * (a vector: labels) and {@code 0x00000803} (a 3-D array: images), big-endian dimensions.
 * Compression is detected from the gzip magic bytes, not from the file name. The data are read in
 * bulk into one array. A wrong magic number, an impossible dimension, a truncated file or bytes
 * after the data throw an {@link IOException} naming the file and what is wrong.
 */
public final class Idx {
  /** The magic number of a vector of unsigned bytes (labels). */
  public static final int LABELS = 0x00000801;
  /** The magic number of a 3-D array of unsigned bytes (images: count, rows, columns). */
  public static final int IMAGES = 0x00000803;

  private Idx() {}

  /**
   * Images: {@code count} images of {@code rows × cols} unsigned bytes, row-major, one after the
   * other in {@code pixels} (read a pixel with {@code pixels[i] & 0xFF}).
   */
  public record Images(int count, int rows, int cols, byte[] pixels) {
    /** Pixels per image. */
    public int size() {
      return rows * cols;
    }
  }

  /** Reads an images file ({@code 0x00000803}). */
  public static Images readImages(Path file) throws IOException {
    Parsed p = read(file, IMAGES);
    return new Images(p.dims[0], p.dims[1], p.dims[2], p.data);
  }

  /** Reads a labels file ({@code 0x00000801}): one unsigned byte per record. */
  public static byte[] readLabels(Path file) throws IOException {
    return read(file, LABELS).data;
  }

  private record Parsed(int[] dims, byte[] data) {}

  private static Parsed read(Path file, int expectedMagic) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "IDX file not found");
    }
    long fileSize = Files.size(file);
    boolean gzip;
    try (InputStream probe = Files.newInputStream(file)) {
      byte[] head = probe.readNBytes(2);
      gzip = head.length == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
    }
    if (gzip) {
      try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 1 << 16)) {
        return parse(file, in, expectedMagic, -1, true);
      } catch (ZipException | EOFException e) {
        throw new IOException("IDX file " + file + " is a damaged or truncated gzip file: " + e.getMessage(), e);
      }
    }
    try (InputStream in = new ChannelInput(file)) {
      return parse(file, in, expectedMagic, fileSize, false);
    }
  }

  private static Parsed parse(Path file, InputStream in, int expectedMagic, long fileSize, boolean gzip) throws IOException {
    String what = gzip ? "IDX file " + file + " (gzip)" : "IDX file " + file;
    byte[] first = in.readNBytes(4);
    if (first.length < 4) {
      throw new IOException(what + " is truncated: " + first.length + " bytes, not even a 4-byte magic number");
    }
    int magic = ByteBuffer.wrap(first).getInt();
    if (magic != expectedMagic) {
      throw new IOException(what + " has magic number 0x" + String.format(Locale.ROOT, "%08X", magic) + ", expected 0x"
          + String.format(Locale.ROOT, "%08X", expectedMagic) + " (" + (expectedMagic == LABELS ? "labels" : "images")
          + ", unsigned bytes)" + (magic == IMAGES || magic == LABELS ? ": images and labels swapped?" : ""));
    }
    int rank = magic & 0xFF;
    byte[] dimBytes = in.readNBytes(4 * rank);
    if (dimBytes.length < 4 * rank) {
      throw new IOException(what + " is truncated in its header: " + (4 + dimBytes.length) + " bytes, the header has "
          + (4 + 4 * rank));
    }
    ByteBuffer dimBuffer = ByteBuffer.wrap(dimBytes);
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      dims[i] = dimBuffer.getInt();
      if (dims[i] <= 0) {
        throw new IOException(what + ": dimension " + i + " is " + dims[i] + ", must be positive");
      }
      total *= dims[i];
    }
    if (total > Integer.MAX_VALUE - 16) {
      throw new IOException(what + ": dimensions " + Arrays.toString(dims) + " make " + total
          + " bytes, more than one array holds");
    }
    long header = 4 + 4L * rank;
    if (fileSize >= 0 && fileSize != header + total) {
      throw new IOException(what + (fileSize < header + total ? " is truncated" : " has " + (fileSize - header - total)
          + " bytes after the data") + ": dimensions " + Arrays.toString(dims) + " need " + (header + total)
          + " bytes, the file has " + fileSize);
    }
    byte[] data = new byte[(int) total];
    int n = in.readNBytes(data, 0, data.length);
    if (n < data.length) {
      throw new IOException(what + " is truncated: dimensions " + Arrays.toString(dims) + " need " + total
          + " data bytes, found " + n);
    }
    if (in.read() != -1) {
      throw new IOException(what + " has bytes after the data: dimensions " + Arrays.toString(dims) + " need "
          + (header + total) + " bytes (uncompressed)");
    }
    return new Parsed(dims, data);
  }

  /** A plain file read with bulk channel reads straight into the array (no buffering layer). */
  private static final class ChannelInput extends InputStream {
    private final FileChannel channel;

    ChannelInput(Path file) throws IOException {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) == 1 ? one[0] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      // At most 1 MiB a call: the JDK reads a heap buffer through a temporary direct buffer of the
      // same size, and a small one is reused instead of allocated per file.
      return channel.read(ByteBuffer.wrap(b, off, Math.min(len, 1 << 20)));
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
