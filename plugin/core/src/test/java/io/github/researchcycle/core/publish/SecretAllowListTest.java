package io.github.researchcycle.core.publish;

import static io.github.researchcycle.core.TestFiles.commitAll;
import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.ResearchException;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reviewed false positives of the secret scan, committed in the research repository. */
class SecretAllowListTest {
  @TempDir Path dir;

  /** A value that the high-entropy rule flags (built here, so this file holds none). */
  static final String VOCAB_ID = "Zq8" + "Lm2Xv9Tr4Kp7Wd1Ns6Bh3Cy5";

  private List<SecretFinding> plant(Git git) throws Exception {
    write(dir, "research.yaml", "title: t\n");
    write(dir, "data/vocab.txt", "# the vocabulary\nvocab_key = " + VOCAB_ID + "\n");
    commitAll(git, "start");
    return SecretScan.findings(dir);
  }

  private static String entry(SecretFinding f, String reason) {
    return "allow:\n  - path: " + f.path() + "\n    rule: " + f.ruleId() + "\n    fingerprint: " + f.fingerprint()
        + (reason == null ? "" : "\n    reason: " + reason) + "\n";
  }

  @Test
  void aReviewedFindingIsAllowedByPathRuleAndFingerprint() throws Exception {
    try (Git git = init(dir)) {
      List<SecretFinding> found = plant(git);
      assertEquals(1, found.size(), found.toString());
      SecretFinding f = found.get(0);
      assertEquals("data/vocab.txt", f.path());
      assertEquals(2, f.line());
      assertEquals("generic-high-entropy", f.ruleId());
      write(dir, SecretAllowList.FILE, "# reviewed\n" + entry(f, "a vocabulary id that looks random, not a credential"));
      commitAll(git, "allow the vocabulary id");
      assertEquals(List.of(), SecretScan.find(dir));
      assertEquals(List.of(), SecretScan.find(dir, "HEAD"));
    }
  }

  @Test
  void anotherSecretInTheSameFileIsStillFound() throws Exception {
    try (Git git = init(dir)) {
      SecretFinding f = plant(git).get(0);
      write(dir, SecretAllowList.FILE, entry(f, "reviewed"));
      write(dir, "data/vocab.txt", "# the vocabulary\nvocab_key = " + VOCAB_ID.substring(1) + "Q\n");
      commitAll(git, "a changed value");
      List<SecretFinding> now = SecretScan.findings(dir);
      assertEquals(1, now.size(), now.toString());
      assertNotEquals(f.fingerprint(), now.get(0).fingerprint());
    }
  }

  @Test
  void aMissingReasonIsAnErrorNamingFileLineAndKey() throws Exception {
    try (Git git = init(dir)) {
      SecretFinding f = plant(git).get(0);
      write(dir, SecretAllowList.FILE, "# reviewed\n" + entry(f, null));
      ResearchException e = assertThrows(ResearchException.class, () -> SecretScan.find(dir));
      assertEquals(".research/secrets-allow.yaml line 3: `allow[0].reason` is missing: every allowed finding says why "
          + "it is not a secret. Fix: add `reason: …` to the entry, or remove the entry.", e.getMessage());
    }
  }

  @Test
  void anUnknownRuleOrAMalformedFingerprintIsRefused() throws Exception {
    try (Git git = init(dir)) {
      SecretFinding f = plant(git).get(0);
      write(dir, SecretAllowList.FILE, entry(f, "r").replace("generic-high-entropy", "generic-high-entrop"));
      ResearchException rule = assertThrows(ResearchException.class, () -> SecretScan.find(dir));
      assertTrue(rule.getMessage().startsWith(".research/secrets-allow.yaml line 3: `allow[0].rule` names no rule "
          + "`generic-high-entrop` (did you mean `generic-high-entropy`?)"), rule.getMessage());
      write(dir, SecretAllowList.FILE, entry(f, "r").replace(f.fingerprint(), "abc"));
      ResearchException print = assertThrows(ResearchException.class, () -> SecretScan.find(dir));
      assertTrue(print.getMessage().startsWith(".research/secrets-allow.yaml line 4: `allow[0].fingerprint` must be "
          + "`sha256:` and 16 hex digits, found `abc`"), print.getMessage());
      write(dir, SecretAllowList.FILE, entry(f, "r") + "    reason: twice\n");
      ResearchException dup = assertThrows(ResearchException.class, () -> SecretScan.find(dir));
      assertTrue(dup.getMessage().startsWith(".research/secrets-allow.yaml line 6: duplicate key `allow[0].reason`"),
          dup.getMessage());
    }
  }

  @Test
  void theEntropyThresholdIsTunedByTheRepository() throws Exception {
    try (Git git = init(dir)) {
      assertEquals(1, plant(git).size());
      write(dir, SecretAllowList.FILE, "entropy: 4.9\n");
      assertEquals(List.of(), SecretScan.find(dir), "a random 24-character value has less than 4.9 bits a character");
      write(dir, SecretAllowList.FILE, "entropy: 0\n");
      ResearchException e = assertThrows(ResearchException.class, () -> SecretScan.find(dir));
      assertTrue(e.getMessage().startsWith(".research/secrets-allow.yaml line 1: `entropy` must be"), e.getMessage());
    }
  }
}
