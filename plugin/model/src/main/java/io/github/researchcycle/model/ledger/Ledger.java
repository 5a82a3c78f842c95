package io.github.researchcycle.model.ledger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The hash-chained, append-only ledger of a research repository ({@code .research/ledger.jsonl}):
 * one JSON line per event, each naming the {@code sha256:} of the line before it. Lines are hashed
 * as they stand in the file, so a reader needs no canonical form to check the chain.
 *
 * @param file where it was read from
 * @param lines the raw lines, without their line ends
 * @param entries the parsed entries, one per line
 */
public record Ledger(Path file, List<String> lines, List<LedgerEntry> entries) {
  private static final ObjectMapper LINES =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private static final Object APPENDING = new Object();

  /** The name of the lock file beside the ledger that appenders hold. */
  public static final String LOCK_SUFFIX = ".lock";

  /** Reads the ledger at {@code file}; a missing file is an empty ledger. */
  public static Ledger read(Path file) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return new Ledger(file, List.of(), List.of());
    }
    return parse(file, lines);
  }

  /** A ledger from raw lines (for example a committed version read from git). */
  public static Ledger parse(Path file, List<String> rawLines) {
    List<String> lines = new ArrayList<>();
    List<LedgerEntry> entries = new ArrayList<>();
    for (int i = 0; i < rawLines.size(); i++) {
      String line = rawLines.get(i);
      if (line.isEmpty() && i == rawLines.size() - 1) {
        continue;
      }
      try {
        entries.add(LINES.readValue(line, LedgerEntry.class));
        lines.add(line);
      } catch (JsonProcessingException e) {
        throw new LedgerException(file + ":" + (i + 1) + ": not a ledger entry ("
            + e.getOriginalMessage() + "). The ledger is written only by the plugin; "
            + "restore it from git: git checkout -- " + file);
      }
    }
    return new Ledger(file, List.copyOf(lines), List.copyOf(entries));
  }

  /** The hash of the last line, which the next entry will name; null for an empty ledger. */
  public String head() {
    return lines.isEmpty() ? null : Sha256.of(lines.get(lines.size() - 1));
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /**
   * Every break in the chain, one line each: a position out of order, or an entry whose {@code
   * prev} is not the hash of the line before it (an entry edited, inserted or removed).
   */
  public List<String> chainProblems() {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      LedgerEntry e = entries.get(i);
      String expected = i == 0 ? null : Sha256.of(lines.get(i - 1));
      if (e.seq() != i + 1) {
        problems.add("ledger line " + (i + 1) + " says it is entry " + e.seq()
            + ": an entry was removed or inserted before it");
      }
      if (!Objects.equals(expected, e.prev())) {
        problems.add("ledger line " + (i + 1) + " (entry " + e.seq() + ") names " + e.prev()
            + " as the entry before it, but that line hashes to " + expected
            + ": line " + i + " was edited, or a line was removed or inserted");
      }
    }
    return problems;
  }

  /**
   * Whether this ledger's lines begin with every line of {@code earlier}: the ledger only grew.
   * Returns the first position (from 1) where they part, or 0 when {@code earlier} is a prefix.
   */
  public int partsFrom(Ledger earlier) {
    for (int i = 0; i < earlier.lines.size(); i++) {
      if (i >= lines.size() || !lines.get(i).equals(earlier.lines.get(i))) {
        return i + 1;
      }
    }
    return 0;
  }

  /** The entries about one run, oldest first. */
  public List<LedgerEntry> about(String runId) {
    return entries.stream().filter(e -> runId.equals(e.event().run())).toList();
  }

  /**
   * Appends one event under an exclusive lock (several processes may append at once), chaining it
   * to the last line, and forces it to disk.
   */
  public static LedgerEntry append(Path file, LedgerEvent event, Instant at) throws IOException {
    return append(file, event, at, null);
  }

  /**
   * Signs the payload of an entry (its line without the signature), or returns null to leave it
   * unsigned.
   */
  @FunctionalInterface
  public interface Signer {
    /** The signature of {@code payload}, or null. */
    String sign(String payload) throws IOException;
  }

  /** As {@link #append(Path, LedgerEvent, Instant)}, signing the entry with {@code signer} when given. */
  public static LedgerEntry append(Path file, LedgerEvent event, Instant at, Signer signer) throws IOException {
    // A file lock is held per process: threads of one process queue here first.
    synchronized (APPENDING) {
      return appendLocked(file, event, at, signer);
    }
  }

  /** The text an entry's signature covers: its line without the signature. */
  public static String payload(LedgerEntry entry) throws IOException {
    return LINES.writeValueAsString(entry.unsigned());
  }

  private static LedgerEntry appendLocked(Path file, LedgerEvent event, Instant at, Signer signer)
      throws IOException {
    Files.createDirectories(file.getParent());
    Path lock = file.resolveSibling(file.getFileName() + LOCK_SUFFIX);
    try (FileChannel lockChannel =
            FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lockChannel.lock()) {
      Ledger now = read(file);
      LedgerEntry entry = new LedgerEntry(now.size() + 1, now.head(), at, event);
      String sig = signer == null ? null : signer.sign(payload(entry));
      if (sig != null) {
        entry = new LedgerEntry(entry.seq(), entry.prev(), at, event, sig);
      }
      String line = LINES.writeValueAsString(entry);
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel out =
          FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        if (out.size() > 0 && !endsWithNewline(file)) {
          out.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      return entry;
    }
  }

  private static boolean endsWithNewline(Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      if (in.size() == 0) {
        return true;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      in.read(last, in.size() - 1);
      return last.get(0) == '\n';
    }
  }
}
