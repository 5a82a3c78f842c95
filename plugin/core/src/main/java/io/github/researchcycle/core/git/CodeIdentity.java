package io.github.researchcycle.core.git;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.ledger.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.util.io.DisabledOutputStream;

/**
 * A run's code identity: the hash of what builds and trains ({@link #PATHS}) at a commit, taken
 * from git's own tree ids, so that two commits that differ only in the writeup, the README, the
 * journal or the run records have the same identity.
 */
public final class CodeIdentity {
  /** What builds and trains, relative to the research folder (tests under src/test train nothing). */
  public static final List<String> PATHS = List.of("src/main", "pom.xml", "experiments", "data", "launch");

  private CodeIdentity() {}

  /** The identity of the research folder at {@code commit}, or null when this clone lacks the commit. */
  public static String at(Path folder, String commit) {
    try (Repository repo = GitInspector.open(folder); RevWalk walk = new RevWalk(repo)) {
      ObjectId id = resolve(repo, commit);
      if (id == null) {
        return null;
      }
      RevCommit c = walk.parseCommit(id);
      String prefix = GitInspector.prefix(repo, folder);
      StringBuilder listing = new StringBuilder();
      for (String p : PATHS) {
        try (TreeWalk tw = TreeWalk.forPath(repo, prefix + p, c.getTree())) {
          listing.append(p).append(' ').append(tw == null ? "-" : tw.getObjectId(0).name()).append('\n');
        }
      }
      return Sha256.of(listing.toString());
    } catch (IOException e) {
      throw new ResearchException("cannot read the code of commit " + commit + ": " + e.getMessage(), e);
    }
  }

  /**
   * The files under {@link #PATHS} that differ between two commits, relative to the research
   * folder (at most {@code limit}); empty when either commit is missing.
   */
  public static List<String> changedFiles(Path folder, String from, String to, int limit) {
    List<String> changed = new ArrayList<>();
    try (Repository repo = GitInspector.open(folder); RevWalk walk = new RevWalk(repo);
        DiffFormatter diff = new DiffFormatter(DisabledOutputStream.INSTANCE)) {
      ObjectId a = resolve(repo, from);
      ObjectId b = resolve(repo, to);
      if (a == null || b == null) {
        return changed;
      }
      String prefix = GitInspector.prefix(repo, folder);
      diff.setRepository(repo);
      diff.setPathFilter(PathFilterGroup.create(PATHS.stream().map(p -> PathFilter.create(prefix + p)).toList()));
      for (DiffEntry e : diff.scan(walk.parseCommit(a).getTree(), walk.parseCommit(b).getTree())) {
        String path = e.getChangeType() == DiffEntry.ChangeType.DELETE ? e.getOldPath() : e.getNewPath();
        if (changed.size() < limit) {
          changed.add(path.substring(prefix.length()));
        }
      }
      return changed;
    } catch (IOException e) {
      throw new ResearchException("cannot compare commits " + from + " and " + to + ": " + e.getMessage(), e);
    }
  }

  private static ObjectId resolve(Repository repo, String commit) throws IOException {
    try {
      return commit == null ? null : repo.resolve(commit + "^{commit}");
    } catch (MissingObjectException | IncorrectObjectTypeException | RevisionSyntaxException e) {
      return null;
    }
  }
}
