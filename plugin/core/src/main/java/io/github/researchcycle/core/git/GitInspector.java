package io.github.researchcycle.core.git;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.GitProvenance;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.dircache.DirCacheIterator;
import org.eclipse.jgit.lib.IndexDiff;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.FileTreeIterator;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Reads git provenance for a research folder, which may be the root of a work tree or a folder
 * inside a larger one (then everything is scoped to that folder).
 */
public final class GitInspector {
  /**
   * Folders whose changes never make a run dirty: the run store is written by the runs themselves,
   * the writeup (journal notes, the article) cannot change a result, and the ledger (.research/) is
   * appended by the runs themselves. Publishing checks them.
   */
  public static final List<String> IGNORED_FOLDERS = List.of("runs/", "writeup/", ".research/");

  private static final int MAX_LISTED = 50;

  private GitInspector() {}

  /** Whether {@code folder} lies inside a git work tree (an unpacked bundle does not). */
  public static boolean isInside(Path folder) {
    return new FileRepositoryBuilder().readEnvironment().findGitDir(folder.toAbsolutePath().toFile())
        .getGitDir() != null;
  }

  /** Opens the repository containing {@code folder}, or explains how to create one. */
  public static Repository open(Path folder) {
    FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(folder.toFile());
    if (builder.getGitDir() == null) {
      if (UnpackedBundle.at(folder)) {
        throw new ResearchException(UnpackedBundle.refusal(folder, "this goal"));
      }
      throw new ResearchException(
          folder.toAbsolutePath() + " is not inside a git repository; runs record the commit they ran. "
              + "Fix: git init && git add -A && git commit -m \"Start the research\"");
    }
    try {
      Repository repo = builder.setMustExist(true).build();
      if (repo.isBare()) {
        throw new ResearchException(folder.toAbsolutePath() + " is inside a bare git repository. Fix: clone it and run there.");
      }
      return repo;
    } catch (IOException e) {
      throw new ResearchException("cannot open the git repository above " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** The research folder relative to the work tree, with a trailing slash ("" at the root). */
  public static String prefix(Repository repo, Path folder) {
    Path work = repo.getWorkTree().toPath().toAbsolutePath().normalize();
    Path abs;
    try {
      abs = folder.toRealPath();
      work = work.toRealPath();
    } catch (IOException e) {
      abs = folder.toAbsolutePath().normalize();
    }
    String rel = work.relativize(abs).toString().replace('\\', '/');
    return rel.isEmpty() ? "" : rel + "/";
  }

  /** Inspects HEAD and the uncommitted changes of the research folder (run records and writeup aside). */
  public static GitProvenance inspect(Path folder) {
    return inspect(folder, IGNORED_FOLDERS);
  }

  /** Inspects HEAD and the uncommitted changes of the research folder, except under {@code ignored}. */
  public static GitProvenance inspect(Path folder, List<String> ignored) {
    try (Repository repo = open(folder)) {
      String prefix = prefix(repo, folder);
      ObjectId head = repo.resolve("HEAD^{commit}");
      if (head == null) {
        throw new ResearchException(
            "the git repository at " + repo.getWorkTree() + " has no commit yet; runs record the commit they ran. "
                + "Fix: git add -A && git commit -m \"Start the research\"");
      }
      // The ignored folders are not walked at all: runs/ holds a folder per run, thousands in time.
      IndexDiff status = new IndexDiff(repo, head, new FileTreeIterator(repo));
      TreeFilter skip = new Skipping(ignored.stream().map(i -> prefix + (i.endsWith("/") ? i.substring(0, i.length() - 1) : i))
          .toList());
      status.setFilter(prefix.isEmpty() ? skip
          : AndTreeFilter.create(PathFilter.create(prefix.substring(0, prefix.length() - 1)), skip));
      status.diff();
      TreeSet<String> changed = new TreeSet<>();
      for (var set : List.of(status.getAdded(), status.getChanged(), status.getModified(), status.getRemoved(),
          status.getMissing(), status.getUntracked(), status.getConflicting())) {
        for (String path : set) {
          if (path.startsWith(prefix)) {
            String rel = path.substring(prefix.length());
            if (ignored.stream().noneMatch(rel::startsWith)) {
              changed.add(rel);
            }
          }
        }
      }
      boolean clean = changed.isEmpty();
      String diffHash = clean ? null : diffHash(repo, prefix, changed);
      List<String> listed = new ArrayList<>(changed).subList(0, Math.min(MAX_LISTED, changed.size()));
      String branch = repo.getFullBranch() != null && repo.getFullBranch().startsWith("refs/heads/")
          ? repo.getBranch() : null;
      return new GitProvenance(head.name(), branch, clean, diffHash, List.copyOf(listed),
          prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1));
    } catch (IOException e) {
      throw new ResearchException("cannot read git status of " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
    }
  }

  /** Leaves out the given folders (paths from the work tree's root), so a walk never enters them. */
  private static final class Skipping extends TreeFilter {
    private final List<String> folders;

    Skipping(List<String> folders) {
      this.folders = List.copyOf(folders);
    }

    @Override
    public boolean include(TreeWalk walker) {
      String path = walker.getPathString();
      for (String f : folders) {
        if (path.equals(f) || path.startsWith(f) && path.length() > f.length() && path.charAt(f.length()) == '/') {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean shouldBeRecursive() {
      return false;
    }

    @Override
    public TreeFilter clone() {
      return this;
    }

    @Override
    public String toString() {
      return "SKIP" + folders;
    }
  }

  /** sha256 of the working-tree diff against HEAD plus the content of untracked files. */
  private static String diffHash(Repository repo, String prefix, TreeSet<String> changed) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DiffFormatter diff = new DiffFormatter(out)) {
      diff.setRepository(repo);
      // Only the changed files are compared: a walk of the whole tree against HEAD, without the
      // index, would hash every file of the work tree (every run folder included).
      diff.setPathFilter(PathFilterGroup.createFromStrings(changed.stream().map(rel -> prefix + rel).toList()));
      AbstractTreeIterator headTree = headTree(repo);
      FileTreeIterator work = new FileTreeIterator(repo);
      diff.format(diff.scan(headTree, work));
    }
    sha.update(out.toByteArray());
    Path workTree = repo.getWorkTree().toPath();
    for (String rel : changed) {
      Path file = workTree.resolve(prefix + rel);
      if (Files.isRegularFile(file)) {
        sha.update((prefix + rel).getBytes(StandardCharsets.UTF_8));
        sha.update(Files.readAllBytes(file));
      }
    }
    return "sha256:" + HexFormat.of().formatHex(sha.digest());
  }

  private static AbstractTreeIterator headTree(Repository repo) throws IOException {
    ObjectId tree = repo.resolve("HEAD^{tree}");
    if (tree == null) {
      return new DirCacheIterator(repo.readDirCache());
    }
    CanonicalTreeParser p = new CanonicalTreeParser();
    try (var reader = repo.newObjectReader()) {
      p.reset(reader, tree);
    }
    return p;
  }
}
