package io.github.researchcycle.model.ledger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The {@code sha256:HEX} digests the ledger records of lines and files. */
public final class Sha256 {
  /** The prefix of every digest. */
  public static final String PREFIX = "sha256:";

  private Sha256() {}

  /** The digest of {@code text}'s UTF-8 bytes. */
  public static String of(String text) {
    MessageDigest md = digest();
    return PREFIX + HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** The digest of a file's bytes, or null when it does not exist. */
  public static String ofFile(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    MessageDigest md = digest();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        md.update(buffer, 0, n);
      }
    }
    return PREFIX + HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this Java has no SHA-256", e);
    }
  }
}
