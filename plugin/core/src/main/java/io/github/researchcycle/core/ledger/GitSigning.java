package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.FileTrees;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;

/**
 * Signs ledger entries as git signs commits, with the key and format of the repository's git
 * config ({@code user.signingkey}, {@code gpg.format} = {@code openpgp} or {@code ssh}, {@code
 * gpg.program}, {@code gpg.ssh.program}), and checks such signatures. Without a signing key,
 * entries are not signed.
 *
 * @param format {@code openpgp} or {@code ssh}
 * @param key the signing key: an OpenPGP key id, or the path of an SSH key
 * @param program the program that signs and verifies ({@code gpg} or {@code ssh-keygen})
 */
public record GitSigning(String format, String key, String program) implements Ledger.Signer {
  /** The SSH signature namespace of ledger entries (git uses {@code git} for commits). */
  public static final String NAMESPACE = "research-ledger";

  /** The signing set up in the git config of the repository holding {@code root}, or null when none is. */
  public static GitSigning of(Path root) {
    try (Repository repo = GitInspector.open(root)) {
      StoredConfig c = repo.getConfig();
      String key = c.getString("user", null, "signingkey");
      if (key == null || key.isBlank()) {
        return null;
      }
      String format = c.getString("gpg", null, "format");
      format = format == null ? "openpgp" : format.toLowerCase(Locale.ROOT);
      if (format.equals("ssh")) {
        String program = c.getString("gpg", "ssh", "program");
        String path = key.startsWith("~/") ? System.getProperty("user.home") + key.substring(1) : key;
        return new GitSigning("ssh", path, program == null ? "ssh-keygen" : program);
      }
      if (format.equals("openpgp")) {
        String program = c.getString("gpg", null, "program");
        return new GitSigning("openpgp", key, program == null ? "gpg" : program);
      }
      return null;
    }
  }

  @Override
  public String sign(String payload) throws IOException {
    Path dir = Files.createTempDirectory("research-sign-");
    try {
      Path data = dir.resolve("entry");
      Files.writeString(data, payload, StandardCharsets.UTF_8);
      Path sig;
      if (format.equals("ssh")) {
        run(List.of(program, "-Y", "sign", "-f", key, "-n", NAMESPACE, data.toString()), null);
        sig = dir.resolve("entry.sig");
      } else {
        sig = dir.resolve("entry.asc");
        run(List.of(program, "--batch", "--yes", "--detach-sign", "--armor", "-u", key, "-o", sig.toString(),
            data.toString()), null);
      }
      return Files.readString(sig, StandardCharsets.UTF_8);
    } finally {
      FileTrees.delete(dir);
    }
  }

  /**
   * Whether {@code entry}'s signature matches its payload (for SSH: made by some key, without
   * checking whose; for OpenPGP: by a key in the local keyring). Null when the entry is unsigned.
   */
  public static Boolean verify(LedgerEntry entry) throws IOException {
    if (entry.sig() == null) {
      return null;
    }
    Path dir = Files.createTempDirectory("research-verify-sig-");
    try {
      Path data = dir.resolve("entry");
      Files.writeString(data, Ledger.payload(entry), StandardCharsets.UTF_8);
      Path sig = dir.resolve("entry.sig");
      Files.writeString(sig, entry.sig(), StandardCharsets.UTF_8);
      if (entry.sig().contains("BEGIN SSH SIGNATURE")) {
        return exit(List.of("ssh-keygen", "-Y", "check-novalidate", "-n", NAMESPACE, "-s", sig.toString()), data) == 0;
      }
      return exit(List.of("gpg", "--batch", "--verify", sig.toString(), data.toString()), null) == 0;
    } finally {
      FileTrees.delete(dir);
    }
  }

  private void run(List<String> command, Path stdin) throws IOException {
    int code = exit(command, stdin);
    if (code != 0) {
      throw new ResearchException("Signing the ledger entry failed: `" + String.join(" ", command) + "` exited with "
          + code + ". Your git config names a signing key (user.signingkey " + key + ", gpg.format " + format
          + "); fix the key or its agent, or unset user.signingkey in this repository to append unsigned entries.");
    }
  }

  private static int exit(List<String> command, Path stdin) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD);
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return 127;
    }
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return 124;
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return 130;
    }
  }
}
