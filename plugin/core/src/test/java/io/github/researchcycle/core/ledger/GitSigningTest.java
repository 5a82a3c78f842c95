package io.github.researchcycle.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.researchcycle.core.TestFiles;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ledger entries signed as git signs commits (here with an SSH key), and a tampered entry's signature failing. */
class GitSigningTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir Path dir;

  @Test
  void withoutASigningKeyEntriesAreUnsigned() throws Exception {
    try (Git git = TestFiles.init(dir)) {
      assertNull(GitSigning.of(dir));
      LedgerEntry e = LedgerFile.append(dir, new LedgerEvent.ClaimRegistered("abc", Map.of("a", "1")), T0);
      assertNull(e.sig());
      assertNull(GitSigning.verify(e));
    }
  }

  @Test
  void anSshKeyInGitConfigSignsEveryEntryAndATamperedOneFails() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is not installed here");
    Path key = dir.resolve("key");
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "researcher", "-f",
        key.toString()).redirectErrorStream(true).start();
    assertEquals(0, p.waitFor());
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo);
    try (Git git = TestFiles.init(repo)) {
      StoredConfig c = git.getRepository().getConfig();
      c.setString("user", null, "signingkey", key.toString());
      c.setString("gpg", null, "format", "ssh");
      c.save();
      LedgerFile.append(repo, new LedgerEvent.ClaimRegistered("abc", Map.of("claim.margin", "0.02")), T0);
      LedgerFile.append(repo, new LedgerEvent.RunDeleted("r1", "method", 3, "finished", "a third seed"), T0);
      Ledger ledger = Ledger.read(LedgerRecorder.file(repo));
      assertEquals(List.of(), ledger.chainProblems());
      for (LedgerEntry e : ledger.entries()) {
        assertTrue(e.sig().contains("BEGIN SSH SIGNATURE"), e.sig());
        assertTrue(GitSigning.verify(e), "entry " + e.seq() + " verifies");
      }
      LedgerEntry signed = ledger.entries().get(1);
      LedgerEntry tampered = new LedgerEntry(signed.seq(), signed.prev(), signed.at(),
          new LedgerEvent.RunDeleted("r1", "method", 3, "finished", "no reason at all"), signed.sig());
      assertFalse(GitSigning.verify(tampered));
    }
  }
}
