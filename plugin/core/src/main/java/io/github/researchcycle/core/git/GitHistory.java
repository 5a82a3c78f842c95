package io.github.researchcycle.core.git;

import io.github.researchcycle.core.ResearchException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/** Reads files and dates from the git history of a research folder (which may be a subfolder). */
public final class GitHistory {
  private GitHistory() {}

  /** The content of {@code file} (relative to the research folder) at {@code commit}, if it existed. */
  public static Optional<String> fileAt(Path folder, String commit, String file) {
    try (Repository repo = GitInspector.open(folder); RevWalk walk = new RevWalk(repo)) {
      ObjectId id = resolveCommit(repo, commit);
      if (id == null) {
        return Optional.empty();
      }
      RevCommit c = walk.parseCommit(id);
      String path = GitInspector.prefix(repo, folder) + file;
      try (TreeWalk tw = TreeWalk.forPath(repo, path, c.getTree())) {
        if (tw == null) {
          return Optional.empty();
        }
        ObjectLoader loader = repo.open(tw.getObjectId(0));
        return Optional.of(new String(loader.getBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new ResearchException("cannot read " + file + " at commit " + commit + ": " + e.getMessage(), e);
    }
  }

  /** The commit HEAD points to, if there is one. */
  public static Optional<String> headCommit(Path folder) {
    try (Repository repo = GitInspector.open(folder)) {
      ObjectId head = repo.resolve("HEAD^{commit}");
      return Optional.ofNullable(head == null ? null : head.name());
    } catch (IOException e) {
      throw new ResearchException("cannot read HEAD: " + e.getMessage(), e);
    }
  }

  /** When {@code file} (relative to the research folder) was first committed, if ever. */
  public static Optional<Instant> firstCommitted(Path folder, String file) {
    try (Repository repo = GitInspector.open(folder); Git git = new Git(repo)) {
      if (repo.resolve("HEAD^{commit}") == null) {
        return Optional.empty();
      }
      Instant first = null;
      for (RevCommit c : git.log().addPath(GitInspector.prefix(repo, folder) + file).call()) {
        Instant t = c.getCommitterIdent().getWhenAsInstant();
        if (first == null || t.isBefore(first)) {
          first = t;
        }
      }
      return Optional.ofNullable(first);
    } catch (IOException | GitAPIException e) {
      throw new ResearchException("cannot read the git history of " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Whether two commits hold the same code for the research folder: no difference outside the
   * folders that never make a run dirty (runs/, writeup/). Committing run records or a journal note
   * does not change the code a smoke run vouched for.
   */
  public static boolean sameCode(Path folder, String commitA, String commitB) {
    if (commitA.equals(commitB)) {
      return true;
    }
    try (Repository repo = GitInspector.open(folder); RevWalk walk = new RevWalk(repo);
        DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      ObjectId a = resolveCommit(repo, commitA);
      ObjectId b = resolveCommit(repo, commitB);
      if (a == null || b == null) {
        return false;
      }
      String prefix = GitInspector.prefix(repo, folder);
      diff.setRepository(repo);
      if (!prefix.isEmpty()) {
        diff.setPathFilter(PathFilter.create(prefix.substring(0, prefix.length() - 1)));
      }
      for (DiffEntry e : diff.scan(walk.parseCommit(a).getTree(), walk.parseCommit(b).getTree())) {
        for (String path : new String[] {e.getOldPath(), e.getNewPath()}) {
          if (path.equals(DiffEntry.DEV_NULL) || !path.startsWith(prefix)) {
            continue;
          }
          String rel = path.substring(prefix.length());
          if (GitInspector.IGNORED_FOLDERS.stream().noneMatch(rel::startsWith)) {
            return false;
          }
        }
      }
      return true;
    } catch (IOException e) {
      throw new ResearchException("cannot compare commits " + commitA + " and " + commitB + ": " + e.getMessage(), e);
    }
  }

  /**
   * The commit {@code id} names, or null when this repository does not hold it: a run recorded before
   * a rebase or squash, or in another clone, names a commit that is gone.
   */
  private static ObjectId resolveCommit(Repository repo, String id) throws IOException {
    try {
      return repo.resolve(id + "^{commit}");
    } catch (MissingObjectException | IncorrectObjectTypeException | RevisionSyntaxException e) {
      return null;
    }
  }

  /** Whether {@code file} (relative to the research folder) is tracked and unchanged from HEAD. */
  public static boolean committed(Path folder, String file) {
    try (Repository repo = GitInspector.open(folder); Git git = new Git(repo)) {
      if (repo.resolve("HEAD^{commit}") == null) {
        return false;
      }
      String path = GitInspector.prefix(repo, folder) + file;
      var status = git.status().addPath(path).call();
      if (!status.getUncommittedChanges().isEmpty() || status.getUntracked().contains(path)) {
        return false;
      }
      return fileAt(folder, "HEAD", file).isPresent();
    } catch (IOException | GitAPIException e) {
      throw new ResearchException("cannot read git status of " + file + ": " + e.getMessage(), e);
    }
  }
}
