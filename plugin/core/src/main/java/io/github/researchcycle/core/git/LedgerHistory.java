package io.github.researchcycle.core.git;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.NoHeadException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Checks across the branch's history that the ledger only ever grew: every commit that changed it
 * holds a ledger of which the previous commit's is a prefix, and the working copy extends HEAD's.
 */
public final class LedgerHistory {
  private LedgerHistory() {}

  /** Each place where the ledger shrank or was rewritten, one line each; empty when it only grew. */
  public static List<String> problems(Path folder, String ledgerFile, Ledger working) {
    List<String> problems = new ArrayList<>();
    try (Repository repo = GitInspector.open(folder); Git git = new Git(repo)) {
      if (repo.resolve("HEAD^{commit}") == null) {
        return problems;
      }
      String path = GitInspector.prefix(repo, folder) + ledgerFile;
      List<RevCommit> commits = new ArrayList<>();
      try {
        git.log().addPath(path).call().forEach(commits::add);
      } catch (NoHeadException e) {
        return problems;
      }
      Collections.reverse(commits);
      Ledger before = null;
      String beforeCommit = null;
      for (RevCommit c : commits) {
        Ledger now = at(repo, c, path, folder.resolve(ledgerFile));
        if (before != null) {
          int parts = now.partsFrom(before);
          if (parts > 0) {
            problems.add("commit " + c.name().substring(0, 12) + " " + (parts > now.size()
                ? "removed ledger entries from " + parts + " on" : "changed ledger entry " + parts)
                + " (as committed in " + beforeCommit.substring(0, 12) + "): the ledger may only grow");
          }
        }
        before = now;
        beforeCommit = c.name();
      }
      if (before != null) {
        int parts = working.partsFrom(before);
        if (parts > 0) {
          problems.add("the working copy of " + ledgerFile + " " + (parts > working.size()
              ? "lacks entries from " + parts + " on" : "changes entry " + parts)
              + " of the committed one (" + beforeCommit.substring(0, 12) + "). Fix: git checkout -- " + ledgerFile);
        }
      }
      return problems;
    } catch (IOException | GitAPIException e) {
      throw new ResearchException("cannot read the git history of " + ledgerFile + ": " + e.getMessage(), e);
    } catch (LedgerException e) {
      problems.add(e.getMessage());
      return problems;
    }
  }

  private static Ledger at(Repository repo, RevCommit c, String path, Path shown) throws IOException {
    try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
      if (tw == null) {
        return Ledger.parse(shown, List.of());
      }
      String text = new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
      return Ledger.parse(shown, Arrays.asList(text.split("\n", -1)));
    }
  }
}
