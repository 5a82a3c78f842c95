package io.github.researchcycle.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.TestFiles;
import io.github.researchcycle.core.git.LedgerMirror;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Entries removed from the ledger before any commit are still named: git keeps a copy on a ref of its own. */
class LedgerMirrorTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");

  @TempDir Path dir;

  /** An event about the project (a run's would need its folder). */
  private static LedgerEvent started(String run, long seed) {
    return new LedgerEvent.ClaimChanged("abc", Map.of("seeds", Long.toString(seed)), List.of(run));
  }

  @Test
  void theMirrorFollowsEveryAppendAndNamesEntriesRemovedBeforeAnyCommit() throws Exception {
    try (Git git = TestFiles.init(dir)) {
      for (int i = 1; i <= 4; i++) {
        LedgerFile.append(dir, started("r" + i, i), T0);
      }
      Ledger mirrored = LedgerMirror.read(dir, LedgerRecorder.file(dir)).orElseThrow();
      assertEquals(Ledger.read(LedgerRecorder.file(dir)).lines(), mirrored.lines());
      assertEquals("refs/research/ledger/root", LedgerMirror.refName(dir));
      assertTrue(Evidence.gather(dir, List.of(), Set.of("method"), null).problems().isEmpty());

      // The hurried researcher drops the last two entries (an unlucky run) before committing anything.
      Path file = LedgerRecorder.file(dir);
      List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
      Files.write(file, lines.subList(0, 2), StandardCharsets.UTF_8);
      List<String> problems = Evidence.gather(dir, List.of(), Set.of("method"), null).problems();
      assertEquals(1, problems.size(), problems.toString());
      assertTrue(problems.get(0).contains("lacks or changes entries from 3 on"), problems.get(0));
      assertTrue(problems.get(0).contains("git cat-file blob refs/research/ledger/root"), problems.get(0));

      // A later append does not move the mirror back: the removed entries stay named.
      LedgerFile.append(dir, started("r9", 9), T0);
      assertEquals(4, LedgerMirror.read(dir, file).orElseThrow().size());
      assertEquals(1, Evidence.gather(dir, List.of(), Set.of("method"), null).problems().size());
    }
  }

  @Test
  void aResearchFolderInsideALargerRepositoryHasAMirrorOfItsOwn() throws Exception {
    try (Git git = TestFiles.init(dir)) {
      Path study = dir.resolve("studies/a");
      Files.createDirectories(study);
      LedgerFile.append(study, started("r1", 1), T0);
      assertEquals("refs/research/ledger/studies/a", LedgerMirror.refName(study));
      assertEquals(1, LedgerMirror.read(study, LedgerRecorder.file(study)).orElseThrow().size());
    }
  }
}
