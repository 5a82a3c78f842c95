package io.github.researchcycle.core.publish;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One thing the secret scan found: the file (relative to the research folder), the line (0 for a
 * file found by its name), the rule, the secret masked, and a fingerprint that an allow-list entry
 * names without holding the secret.
 */
public record SecretFinding(String path, int line, String ruleId, String description, String masked,
    String fingerprint, boolean base64) {

  /** A finding of {@code secret}, masked and fingerprinted here; the secret itself is not kept. */
  static SecretFinding of(String path, int line, SecretRules.Rule rule, String secret, boolean base64) {
    return new SecretFinding(path, line, rule.id(), rule.description(), mask(secret), fingerprint(secret), base64);
  }

  /** A file found by its name: the path is what is fingerprinted. */
  static SecretFinding ofName(String path, SecretRules.Rule rule) {
    return new SecretFinding(path, 0, rule.id(), rule.description(), null, fingerprint(path), false);
  }

  /** At most the first four characters (fewer for a short secret), then its length. */
  static String mask(String secret) {
    int shown = secret.length() >= 16 ? 4 : secret.length() >= 8 ? 2 : 0;
    return secret.substring(0, shown) + "…[" + secret.length() + " chars]";
  }

  /** {@code sha256:} and the first 16 hex digits of the secret's SHA-256. */
  static String fingerprint(String secret) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The finding on one line: {@code path (line N: description, masked; rule ID; fingerprint F)},
   * the path first so that the refusal can list the files to remove.
   */
  @Override
  public String toString() {
    if (line == 0 && masked == null) {
      return path + " (" + description + "; rule " + ruleId + "; fingerprint " + fingerprint + ")";
    }
    return path + " (line " + line + ": " + description + (base64 ? ", base64-encoded" : "") + ", " + masked
        + "; rule " + ruleId + "; fingerprint " + fingerprint + ")";
  }
}
