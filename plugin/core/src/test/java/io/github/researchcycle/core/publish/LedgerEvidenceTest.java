package io.github.researchcycle.core.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.FileTrees;
import io.github.researchcycle.core.GateException;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.ledger.Audit;
import io.github.researchcycle.core.ledger.Evidence;
import io.github.researchcycle.core.ledger.LedgerRecorder;
import io.github.researchcycle.core.ledger.RunDeletion;
import io.github.researchcycle.core.ledger.Standing;
import io.github.researchcycle.core.publish.Tagger;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEvent;
import io.github.researchcycle.model.ledger.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger as the fixture's runs write it, and what the evidence, the gate, deletion and the audit make of it. */
class LedgerEvidenceTest {
  private static final Set<String> CLAIM = Set.of("baseline", "method");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-03T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private Evidence evidence(PublishFixture f) throws Exception {
    return Evidence.gather(f.root, f.store.list(), CLAIM, GitHistory.headCommit(f.root).orElseThrow());
  }

  @Test
  void theRunsWriteTheLedgerAndTheEvidenceHoldsTogether() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    Ledger ledger = Ledger.read(LedgerRecorder.file(f.root));
    assertEquals(List.of(), ledger.chainProblems());
    assertTrue(ledger.entries().stream().anyMatch(e -> e.event() instanceof LedgerEvent.ClaimRegistered));
    long ended = ledger.entries().stream().filter(e -> e.event() instanceof LedgerEvent.RunEnded).count();
    assertEquals(f.store.list().size(), ended, "every run's end is recorded");
    Evidence ev = evidence(f);
    assertEquals(List.of(), ev.problems());
    assertEquals(f.baselineRuns.size() + f.methodRuns.size(), ev.counted().size());
    assertEquals(1, ev.runs().stream().filter(r -> r.standing() == Standing.NOT_FINISHED).count(), "the failed run");
  }

  @Test
  void aMissingAnAlteredAndAnUnknownRunAreEachNamed() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    String gone = f.methodRuns.get(0).id();
    String altered = f.methodRuns.get(1).id();
    FileTrees.delete(f.store.dir(gone));
    Path metrics = f.store.dir(altered).resolve(RunFiles.METRICS);
    Files.writeString(metrics, Files.readString(metrics).replace("0.8", "0.9"), StandardCharsets.UTF_8);
    String copy = "20260302-235959-000-zzzzzzzz";
    Files.createDirectories(f.store.dir(copy));
    Files.copy(f.store.dir(altered).resolve(RunFiles.RUN_JSON), f.store.dir(copy).resolve(RunFiles.RUN_JSON));
    List<String> problems = evidence(f).problems();
    assertEquals(3, problems.size(), String.join("\n", problems));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("run " + gone + " is in the ledger but runs/" + gone
        + " is missing")), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("runs/" + altered + "/metrics.jsonl differs")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("runs/" + copy + " has no entry in the ledger")),
        problems.toString());
    GateException e = assertThrows(GateException.class, () -> f.publish(false));
    assertTrue(e.getMessage().contains(gone) && e.getMessage().contains(altered) && e.getMessage().contains(copy),
        e.getMessage());
  }

  @Test
  void aCommittedRewriteOfTheLedgerIsNamedByCommitAndEntry() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    Path file = LedgerRecorder.file(f.root);
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.remove(3);
    Files.write(file, lines, StandardCharsets.UTF_8);
    f.commit("Tidy the ledger");
    List<String> problems = evidence(f).problems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("changed ledger entry 4") && p.contains("may only grow")),
        problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("says it is entry 5")), problems.toString());
  }

  @Test
  void codeChangedAfterTheClaimRunsIsRefusedNamingTheFileAndTheFix() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    Files.writeString(f.root.resolve("src/main/java/org/example/Train.java"),
        "package org.example;\n\npublic class Train { int better; }\n", StandardCharsets.UTF_8);
    f.commit("A better model");
    Evidence ev = evidence(f);
    assertEquals(Set.of(), ev.counted());
    GateException e = assertThrows(GateException.class, () -> f.publish(false));
    assertTrue(e.getMessage().contains("src/main/java/org/example/Train.java"), e.getMessage());
    assertTrue(e.getMessage().contains("mvn research:run -Dresearch.experiment=method"), e.getMessage());
    // The writeup and the journal are not the code: editing them changes nothing.
    Files.writeString(f.root.resolve("src/main/java/org/example/Train.java"),
        "package org.example;\n\npublic class Train {}\n", StandardCharsets.UTF_8);
    Files.writeString(f.root.resolve("writeup/journal.md"), "# Journal\n\nmore notes\n", StandardCharsets.UTF_8);
    f.commit("Back, and a note");
    assertEquals(f.baselineRuns.size() + f.methodRuns.size(), evidence(f).counted().size());
  }

  @Test
  void aDeclaredDeletionNeedsAReasonAndIsShownNotRefused() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    String id = f.failed.id();
    RunDeletion deletion = new RunDeletion(CLOCK);
    ResearchException noReason = assertThrows(ResearchException.class, () -> deletion.delete(f.root, id, " "));
    assertTrue(noReason.getMessage().contains("needs a reason"), noReason.getMessage());
    assertTrue(Files.isDirectory(f.store.dir(id)), "nothing deleted without a reason");
    deletion.delete(f.root, id, "out of memory on a shared node");
    assertFalse(Files.exists(f.store.dir(id)));
    f.commit("Delete the failed run");
    Evidence ev = evidence(f);
    assertEquals(List.of(), ev.problems());
    assertEquals("out of memory on a shared node", ev.runs().stream()
        .filter(r -> r.run().equals(id)).findFirst().orElseThrow().note());
    f.publishReady();
    String post = f.read("target/publish/post.md");
    assertTrue(post.contains("out of memory on a shared node"), post);
  }

  @Test
  void theAuditAgreesAfterAPublicationAndNamesATagTheLedgerLacks() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    f.publishReady();
    f.commit("The publication's ledger entry");
    Audit audit = new Audit(CLOCK);
    Audit.Result r = audit.audit(f.root, f.store);
    assertTrue(r.agrees(), r.disagreements().toString());
    assertTrue(r.summary().contains("1 publication(s)"), r.summary());
    Tagger.tag(f.root, "study-published-7", "Research Cycle publication: made by hand");
    r = audit.audit(f.root, f.store);
    assertEquals(List.of("tag study-published-7 marks a publication that the ledger does not record"),
        r.disagreements());
  }

  @Test
  void aSecondPublicationListsTheFirstAndJudgesTheLedgerItSaw() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    Publication first = f.publishReady();
    f.commit("The publication's ledger entry");
    f.run("method", 9, 0.9, RunStatus.FINISHED, Instant.parse("2026-03-02T18:00:00Z"));
    f.commit("One more seed");
    f.makeReady();
    Publication second = f.publish(false);
    assertFalse(first.tag().equals(second.tag()));
    String post = f.read("target/publish/post.md");
    assertTrue(post.contains("Earlier publications of this research"), post);
    assertTrue(post.contains("`" + first.tag() + "`"), post);
    String results = f.read("target/publish/results.json");
    assertTrue(results.contains("\"head\" : \"sha256:"), results);
  }

  @Test
  void aPublicationNumberInTheLedgerIsNeverReusedEvenWithoutItsTag() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    Publication first = f.publishReady();
    Tagger.delete(f.root, first.tag());
    f.commit("The publication's ledger entry; the tag did not travel");
    Publication second = f.publish(false);
    assertTrue(second.tag().endsWith("-published-2"), second.tag());
    String post = f.read("target/publish/post.md");
    assertTrue(post.contains("`" + first.tag() + "`"), "the first, from the ledger: " + post);
  }

  @Test
  void anEndAppendedByHandToMatchAForgedRecordIsNamed() throws Exception {
    PublishFixture f = PublishFixture.create(dir);
    String id = f.methodRuns.get(0).id();
    Path runJson = f.store.dir(id).resolve(RunFiles.RUN_JSON);
    Files.writeString(runJson, Files.readString(runJson).replace("\"validate_accuracy\" : 0.8", "\"validate_accuracy\" : 0.9"),
        StandardCharsets.UTF_8);
    // The forger appends a well-chained end with the forged record's hashes.
    RunRecord r = f.store.read(id);
    Ledger.append(LedgerRecorder.file(f.root), new LedgerEvent.RunEnded(id, "finished", r.experiment(), r.seed(),
        null, r.configHash(), Sha256.ofFile(runJson),
        Sha256.ofFile(f.store.dir(id).resolve(RunFiles.METRICS))), CLOCK.instant());
    List<String> problems = evidence(f).problems();
    assertTrue(problems.stream().anyMatch(p -> p.contains("run " + id + "'s end is in the ledger twice")),
        problems.toString());
  }
}
