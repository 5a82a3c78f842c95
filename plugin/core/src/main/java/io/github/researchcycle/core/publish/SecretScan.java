package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.git.GitInspector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.AmbiguousObjectException;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;

/**
 * Finds tracked files of a research folder that hold secrets, by the rules of {@link SecretRules}
 * (data: gitleaks' TOML format), by name (key stores, {@code .env}, SSH keys, credential files) and
 * by content (private keys, cloud, forge, chat, ML hub and payment tokens, database URLs with a
 * password, config assignments, high-entropy values).
 *
 * <p>Only what git tracks is scanned, read from git's objects rather than the working tree: the
 * reproduction bundle holds tracked files only, so an ignored {@code .env} on disk is no concern,
 * and a secret that is committed is one even after the working copy is edited. Every byte is read,
 * streamed: files of any size, binary files (their printable runs), run records and metrics, and
 * base64 values decoded. A finding the researcher reviewed as harmless is allowed by
 * {@value SecretAllowList#FILE} (path, rule, fingerprint and reason).
 */
public final class SecretScan {
  private SecretScan() {}

  /**
   * The findings in the tracked files of the research folder, one line each as
   * {@code "path (line N: what, masked secret; rule ID; fingerprint F)"} with the path relative to
   * the folder, sorted by path and line. Tracked means in git's index or in HEAD: a file staged for
   * commit counts, and so does one removed from the index but still in HEAD.
   */
  public static List<String> find(Path folder) {
    return findings(folder).stream().map(SecretFinding::toString).toList();
  }

  /** Like {@link #find(Path, String)}, for the files of the research folder in {@code commit}'s tree. */
  public static List<String> find(Path folder, String commit) {
    return findings(folder, commit).stream().map(SecretFinding::toString).toList();
  }

  /** The findings of {@link #find(Path)}, typed, less those that the folder's allow-list allows. */
  public static List<SecretFinding> findings(Path folder) {
    try (Repository repo = GitInspector.open(folder); ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      String prefix = GitInspector.prefix(repo, folder);
      Map<String, Set<ObjectId>> files = new TreeMap<>();
      DirCache index = repo.readDirCache();
      for (int i = 0; i < index.getEntryCount(); i++) {
        DirCacheEntry e = index.getEntry(i);
        String path = e.getPathString();
        if (path.startsWith(prefix) && isFile(e.getFileMode())) {
          files.computeIfAbsent(path.substring(prefix.length()), k -> new LinkedHashSet<>()).add(e.getObjectId());
        }
      }
      ObjectId head = repo.resolve("HEAD^{tree}");
      if (head != null) {
        for (var e : tree(repo, walk.parseTree(head), prefix).entrySet()) {
          files.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>()).add(e.getValue().id());
        }
      }
      return scan(folder, reader, files);
    } catch (IOException e) {
      throw new ResearchException("cannot scan the tracked files of " + folder.toAbsolutePath() + " for secrets: "
          + e.getMessage(), e);
    }
  }

  /** The findings of {@link #find(Path, String)}, typed, less those that the folder's allow-list allows. */
  public static List<SecretFinding> findings(Path folder, String commit) {
    try (Repository repo = GitInspector.open(folder); ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      ObjectId id = resolveCommit(repo, commit);
      Map<String, Set<ObjectId>> files = new TreeMap<>();
      for (var e : tree(repo, walk.parseCommit(id).getTree(), GitInspector.prefix(repo, folder)).entrySet()) {
        files.put(e.getKey(), Set.of(e.getValue().id()));
      }
      return scan(folder, reader, files);
    } catch (IOException e) {
      throw new ResearchException("cannot scan commit " + commit + " of " + folder.toAbsolutePath() + " for secrets: "
          + e.getMessage(), e);
    }
  }

  /** A blob in a tree: its id and mode. */
  record TreeFile(ObjectId id, FileMode mode) {}

  /** Resolves {@code commit} (a name or an id) to a commit, or explains that it does not exist. */
  static ObjectId resolveCommit(Repository repo, String commit) throws IOException {
    ObjectId id = findCommit(repo, commit);
    if (id == null) {
      throw new ResearchException("commit " + commit + " does not exist in the git repository at " + repo.getWorkTree()
          + ". Fix: commit the research folder and publish the commit that HEAD names.");
    }
    return id;
  }

  /** {@code commit} (a name or an id) as a commit id, or null if there is no such commit. */
  static ObjectId findCommit(Repository repo, String commit) throws IOException {
    if (commit == null || commit.isBlank()) {
      return null;
    }
    try {
      return repo.resolve(commit + "^{commit}");
    } catch (MissingObjectException | IncorrectObjectTypeException | RevisionSyntaxException
        | AmbiguousObjectException e) {
      return null;
    }
  }

  /**
   * The files (regular, executable and symbolic links; not submodules) under {@code prefix} in
   * {@code tree}, keyed by their path relative to the prefix, sorted.
   */
  static TreeMap<String, TreeFile> tree(Repository repo, RevTree tree, String prefix) throws IOException {
    TreeMap<String, TreeFile> files = new TreeMap<>();
    try (TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(tree);
      tw.setRecursive(true);
      if (!prefix.isEmpty()) {
        tw.setFilter(PathFilter.create(prefix.substring(0, prefix.length() - 1)));
      }
      while (tw.next()) {
        String path = tw.getPathString();
        FileMode mode = tw.getFileMode(0);
        if (path.startsWith(prefix) && (isFile(mode) || mode == FileMode.SYMLINK)) {
          files.put(path.substring(prefix.length()), new TreeFile(tw.getObjectId(0), mode));
        }
      }
    }
    return files;
  }

  private static boolean isFile(FileMode mode) {
    return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE;
  }

  private static List<SecretFinding> scan(Path folder, ObjectReader reader, Map<String, Set<ObjectId>> files)
      throws IOException {
    SecretRules rules = SecretRules.standard();
    SecretAllowList allowed = SecretAllowList.read(folder, rules);
    if (allowed.entropy() != null) {
      rules = rules.withEntropy(allowed.entropy());
    }
    SecretScanner scanner = new SecretScanner(rules);
    List<SecretFinding> hits = new ArrayList<>();
    for (var file : files.entrySet()) {
      Set<String> seen = new LinkedHashSet<>();
      for (ObjectId id : file.getValue()) {
        for (SecretFinding f : scanBlob(scanner, file.getKey(), reader, id)) {
          if (!allowed.allows(f) && seen.add(f.toString())) {
            hits.add(f);
          }
        }
      }
    }
    return hits;
  }

  /** The findings in one blob, streamed from git's objects; a missing blob is checked by name only. */
  private static List<SecretFinding> scanBlob(SecretScanner scanner, String path, ObjectReader reader, ObjectId id)
      throws IOException {
    ObjectLoader loader;
    try {
      loader = reader.open(id, Constants.OBJ_BLOB);
    } catch (MissingObjectException e) {
      return scanner.scan(path, null);
    }
    try (InputStream in = loader.openStream()) {
      return scanner.scan(path, in);
    }
  }
}
