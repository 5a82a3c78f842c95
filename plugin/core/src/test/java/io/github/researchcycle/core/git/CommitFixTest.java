package io.github.researchcycle.core.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pasteable commit command: top-level entries, sorted, quoted for the shell when needed. */
class CommitFixTest {
  @Test
  void namesEachTopLevelEntryOnceSoUntrackedRunRecordsAreAdded() {
    assertEquals("git add .research README.md runs writeup && git commit -m \"Record the runs\"",
        CommitFix.command(List.of("runs/20260101-a/run.json", "runs/20260101-a/metrics.jsonl", "README.md",
            "writeup/journal.md", ".research/ledger.jsonl"), "Record the runs"));
  }

  @Test
  void quotesPathsTheShellWouldSplitAndKeepsTheMessageOneArgument() {
    assertEquals("git add 'it'\\''s' 'my notes.md' && git commit -m \"say 'hi'\"",
        CommitFix.command(List.of("my notes.md", "it's"), "say \"hi\""));
  }
}
