package io.github.researchcycle.core.cycle;

import static io.github.researchcycle.core.TestFiles.init;
import static io.github.researchcycle.core.TestFiles.write;
import static io.github.researchcycle.core.cycle.Fixtures.COMPLETE;
import static io.github.researchcycle.core.cycle.Fixtures.commitAt;
import static io.github.researchcycle.core.cycle.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** research.yaml at the commit of the first full run, read from git history, against the current one. */
class PreRegistrationTest {
  static final Instant T0 = Instant.parse("2026-03-02T09:00:00Z");
  static final String MARGIN_002 = COMPLETE.replace("margin: 0.01", "margin: 0.02");

  @TempDir Path root;
  Git git;

  @BeforeEach
  void repository() throws Exception {
    git = init(root);
  }

  @AfterEach
  void close() {
    git.close();
  }

  RevCommit commit(Path folder, String yaml, Duration after) throws Exception {
    write(folder, "research.yaml", yaml);
    return commitAt(git, "research.yaml", T0.plus(after));
  }

  static RunRecord baselineAt(RevCommit c, Instant started) {
    return run("baseline").commit(c.name()).started(started).metric("accuracy", 0.8).build();
  }

  @Test
  void marginRaisedAfterTheFirstBaselineRunShows() throws Exception {
    RevCommit registered = commit(root, MARGIN_002, Duration.ZERO);
    RunRecord first = baselineAt(registered, T0.plus(Duration.ofHours(1)));
    commit(root, MARGIN_002.replace("margin: 0.02", "margin: 0.05"), Duration.ofHours(2));

    Optional<PreRegistration> pre = PreRegistration.find(root, DescriptorLoader.load(root), List.of(first));
    assertTrue(pre.isPresent());
    assertTrue(pre.get().changed());
    assertEquals(List.of("claim.margin: 0.02 -> 0.05"), pre.get().changes());
    assertEquals(registered.name(), pre.get().commit());
    assertEquals(first.id(), pre.get().firstRun());
    assertEquals(0.02, pre.get().registered().claim().margin());
  }

  @Test
  void unchangedDescriptor() throws Exception {
    RevCommit registered = commit(root, MARGIN_002, Duration.ZERO);
    RunRecord first = baselineAt(registered, T0.plus(Duration.ofHours(1)));
    // Later commits that leave the claim alone (code, a new title) change nothing that was pre-registered.
    write(root, "src/Train.java", "class Train {}\n");
    commit(root, MARGIN_002.replace("title: Longer training", "title: Training longer"), Duration.ofHours(2));

    PreRegistration pre = PreRegistration.find(root, DescriptorLoader.load(root), List.of(first)).orElseThrow();
    assertFalse(pre.changed(), pre.changes()::toString);
    assertEquals(List.of(), pre.changes());
    assertEquals(registered.name(), pre.commit());
  }

  @Test
  void noFullRunNoPreRegistration() throws Exception {
    RevCommit registered = commit(root, MARGIN_002, Duration.ZERO);
    assertEquals(Optional.empty(), PreRegistration.find(root, DescriptorLoader.load(root), List.of()));
    List<RunRecord> smokeOnly = List.of(run("smoke").commit(registered.name()).build(),
        run("smoke").commit(registered.name()).status(RunStatus.FAILED).build());
    assertEquals(Optional.empty(), PreRegistration.find(root, DescriptorLoader.load(root), smokeOnly));
  }

  @Test
  void theFirstFullRunDecidesWhateverItsOutcome() throws Exception {
    RevCommit registered = commit(root, MARGIN_002, Duration.ZERO);
    RunRecord failedFirst = run("longer").status(RunStatus.FAILED).commit(registered.name())
        .started(T0.plus(Duration.ofHours(1))).build();
    RevCommit changed = commit(root, MARGIN_002.replace("goal: maximize", "goal: minimize")
        .replace("seeds: 3", "seeds: 5"), Duration.ofHours(2));
    RunRecord later = baselineAt(changed, T0.plus(Duration.ofHours(3)));
    RunRecord smokeBefore = run("smoke").commit(registered.name()).started(T0.plus(Duration.ofMinutes(30))).build();

    PreRegistration pre = PreRegistration.find(root, DescriptorLoader.load(root), List.of(later, smokeBefore,
        failedFirst)).orElseThrow();
    assertEquals(failedFirst.id(), pre.firstRun());
    assertEquals(registered.name(), pre.commit());
    assertEquals(List.of("metric.goal: maximize -> minimize", "seeds: 3 -> 5"), pre.changes());
  }

  @Test
  void textChangesAreQuoted() throws Exception {
    RevCommit registered = commit(root, MARGIN_002, Duration.ZERO);
    RunRecord first = baselineAt(registered, T0.plus(Duration.ofHours(1)));
    commit(root, MARGIN_002.replace("method: longer", "method: wider")
        .replace("  statement: Three epochs improve accuracy by at least 0.01.\n", ""), Duration.ofHours(2));

    PreRegistration pre = PreRegistration.find(root, DescriptorLoader.load(root), List.of(first)).orElseThrow();
    assertEquals(List.of("method: 'longer' -> 'wider'",
        "claim.statement: 'Three epochs improve accuracy by at least 0.01.' -> (unset)"), pre.changes());
  }

  @Test
  void aRunFromBeforeResearchYamlExistedShowsAsAChange() throws Exception {
    write(root, "src/Train.java", "class Train {}\n");
    RevCommit before = commitAt(git, "code first", T0);
    RunRecord first = baselineAt(before, T0.plus(Duration.ofMinutes(10)));
    commit(root, MARGIN_002, Duration.ofHours(1));

    PreRegistration pre = PreRegistration.find(root, DescriptorLoader.load(root), List.of(first)).orElseThrow();
    assertTrue(pre.changed());
    assertEquals(1, pre.changes().size());
    assertTrue(pre.changes().get(0).startsWith("research.yaml: not committed, or unreadable"), pre.changes()::toString);
    assertTrue(pre.changes().get(0).endsWith(before.name().substring(0, 12)), pre.changes()::toString);
  }

  @Test
  void aCommitNoLongerInTheRepositoryShowsAsAChange() throws Exception {
    // A run recorded before its commit was rebased away, or copied from another clone.
    commit(root, MARGIN_002, Duration.ZERO);
    RunRecord first = run("baseline").commit(Fixtures.FOREIGN_COMMIT).build();

    PreRegistration pre = PreRegistration.find(root, DescriptorLoader.load(root), List.of(first)).orElseThrow();
    assertTrue(pre.changed());
    assertTrue(pre.changes().get(0).startsWith("research.yaml: not committed, or unreadable"), pre.changes()::toString);
  }

  @Test
  void researchFolderInsideALargerRepository() throws Exception {
    Path study = root.resolve("study");
    write(root, "README.md", "a larger repository\n");
    // A research.yaml at the top of the larger repository, which must not be mistaken for the study's.
    write(root, "research.yaml", COMPLETE.replace("margin: 0.01", "margin: 0.5"));
    RevCommit registered = commit(study, MARGIN_002, Duration.ZERO);
    RunRecord first = baselineAt(registered, T0.plus(Duration.ofHours(1)));
    write(root, "other/Unrelated.java", "class Unrelated {}\n");
    commit(study, MARGIN_002.replace("margin: 0.02", "margin: 0.05"), Duration.ofHours(2));

    PreRegistration pre = PreRegistration.find(study, DescriptorLoader.load(study), List.of(first)).orElseThrow();
    assertEquals(registered.name(), pre.commit());
    assertEquals(0.02, pre.registered().claim().margin());
    assertEquals(List.of("claim.margin: 0.02 -> 0.05"), pre.changes());

    Cycle.Status s = Cycle.status(study, DescriptorLoader.load(study), List.of(first), T0.plus(Duration.ofHours(3)));
    assertEquals(pre, s.preRegistration());
    assertTrue(StatusReport.lines(s).contains("  claim.margin: 0.02 -> 0.05"), StatusReport.lines(s)::toString);
  }
}
