package io.github.researchcycle.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The JSON mapper of the run store, and atomic file replacement. */
public final class Json {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private Json() {}

  /** The shared mapper: ISO-8601 instants, indented output, tolerant of newer fields. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Writes {@code value} as JSON to {@code file} so that no reader ever sees a partial file. */
  public static void writeAtomically(Path file, Object value) throws IOException {
    byte[] bytes = (MAPPER.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    writeAtomically(file, bytes);
  }

  /** Writes bytes to a temporary sibling, then renames it over {@code file}. */
  public static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    try {
      Files.write(tmp, bytes);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
