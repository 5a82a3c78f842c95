package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.git.GitInspector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.diff.RawText;
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
 * Finds tracked files of a research folder that look like secrets, by name (key stores, {@code .env},
 * SSH keys, credential files) and by content (private key blocks, cloud and forge tokens).
 *
 * <p>Only what git tracks is scanned, read from git's objects rather than the working tree: the
 * reproduction bundle holds tracked files only, so an ignored {@code .env} on disk is no concern,
 * and a secret that is committed is one even after the working copy is edited. Contents are scanned
 * for text files under {@link #MAX_CONTENT_BYTES}; the run store's {@code metrics.jsonl} files are
 * only checked by name (they are numbers, and there are many of them).
 */
public final class SecretScan {
  /** Files at least this large are only checked by name. */
  public static final long MAX_CONTENT_BYTES = 1L << 20;

  private static final Set<String> ENV_TEMPLATES = Set.of(".env.example", ".env.sample", ".env.template", ".env.dist");
  private static final Set<String> SSH_KEYS = Set.of("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk",
      "id_ed25519_sk");

  private static final Pattern PRIVATE_KEY = Pattern.compile(
      "-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{0,300}?[A-Za-z0-9+/=]{40}");
  private static final Pattern AWS_KEY_ID = Pattern.compile("(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])");
  private static final Pattern AWS_SECRET = Pattern.compile(
      "(?i)aws_secret_access_key\\s*[=:]\\s*[\"']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])");
  private static final Pattern GITHUB_TOKEN = Pattern.compile(
      "(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{40,255})(?![A-Za-z0-9_])");
  private static final Pattern SLACK_TOKEN = Pattern.compile("(?<![A-Za-z0-9])xox[baprs]-(?:[0-9]+-)+[A-Za-z0-9]{8,}");
  private static final Pattern GOOGLE_API_KEY = Pattern.compile("(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])");
  private static final Pattern NPM_TOKEN = Pattern.compile("(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])");
  private static final Pattern PYPI_TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])pypi-AgE[A-Za-z0-9_-]{50,}");
  private static final Pattern SERVICE_ACCOUNT = Pattern.compile("\"type\"\\s*:\\s*\"service_account\"");
  private static final Pattern JSON_PRIVATE_KEY = Pattern.compile("\"private_key\"\\s*:\\s*\"[^\"]{20,}");
  private static final Pattern NPMRC_AUTH = Pattern.compile(
      "(?m)(?:_authToken|_auth|_password)\\s*=\\s*(?!\\$\\{)[\"']?[^\\s\"'$]{8,}");
  private static final Pattern PYPIRC_PASSWORD = Pattern.compile("(?im)^\\s*password\\s*[=:]\\s*\\S+");
  private static final Pattern AWS_CREDENTIALS = Pattern.compile("(?i)aws_(?:secret_access_key|access_key_id|session_token)\\s*[=:]\\s*\\S+");

  private SecretScan() {}

  /**
   * The tracked files of the research folder that look like secrets, each as {@code "path (reason)"}
   * with the path relative to the folder, sorted by path. Tracked means in git's index or in HEAD:
   * a file staged for commit counts, and so does one removed from the index but still in HEAD.
   */
  public static List<String> find(Path folder) {
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
      return scan(reader, files);
    } catch (IOException e) {
      throw new ResearchException("cannot scan the tracked files of " + folder.toAbsolutePath() + " for secrets: "
          + e.getMessage(), e);
    }
  }

  /** Like {@link #find(Path)}, for the files of the research folder in {@code commit}'s tree. */
  public static List<String> find(Path folder, String commit) {
    try (Repository repo = GitInspector.open(folder); ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      ObjectId id = resolveCommit(repo, commit);
      Map<String, Set<ObjectId>> files = new TreeMap<>();
      for (var e : tree(repo, walk.parseCommit(id).getTree(), GitInspector.prefix(repo, folder)).entrySet()) {
        files.put(e.getKey(), Set.of(e.getValue().id()));
      }
      return scan(reader, files);
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

  private static List<String> scan(ObjectReader reader, Map<String, Set<ObjectId>> files) throws IOException {
    List<String> hits = new ArrayList<>();
    for (var file : files.entrySet()) {
      String path = file.getKey();
      Set<String> reasons = new LinkedHashSet<>(reasonsForName(path));
      if (!(path.startsWith("runs/") && path.endsWith("/metrics.jsonl"))) {
        for (ObjectId id : file.getValue()) {
          String text = text(reader, id);
          if (text != null) {
            reasons.addAll(reasonsForContent(path, text));
          }
        }
      }
      if (!reasons.isEmpty()) {
        hits.add(path + " (" + String.join("; ", reasons) + ")");
      }
    }
    return hits;
  }

  /** The blob's content as text, or null for binary, missing and large blobs. */
  private static String text(ObjectReader reader, ObjectId id) throws IOException {
    try {
      if (reader.getObjectSize(id, Constants.OBJ_BLOB) >= MAX_CONTENT_BYTES) {
        return null;
      }
      ObjectLoader loader = reader.open(id, Constants.OBJ_BLOB);
      byte[] bytes = loader.getCachedBytes();
      // ISO-8859-1 maps every byte to a char, so the ASCII token shapes match whatever the encoding.
      return RawText.isBinary(bytes) ? null : new String(bytes, StandardCharsets.ISO_8859_1);
    } catch (MissingObjectException e) {
      return null;
    }
  }

  /** Why a file with this path (relative to the research folder) looks like a secret by its name alone. */
  static List<String> reasonsForName(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    List<String> reasons = new ArrayList<>();
    if (name.equals(".env") || name.startsWith(".env.") && !ENV_TEMPLATES.contains(name)) {
      reasons.add("environment file, usually holds secrets");
    }
    if (name.endsWith(".pem")) {
      reasons.add("PEM file, a key or certificate");
    }
    if (name.endsWith(".key")) {
      reasons.add("key file");
    }
    if (SSH_KEYS.contains(name)) {
      reasons.add("SSH private key");
    }
    if (name.endsWith(".p12") || name.endsWith(".pfx")) {
      reasons.add("PKCS#12 key store");
    }
    if (name.endsWith(".keystore") || name.endsWith(".jks")) {
      reasons.add("Java key store");
    }
    if (name.equals("credentials.json")) {
      reasons.add("credentials file");
    }
    if (name.startsWith("service-account") && name.endsWith(".json")) {
      reasons.add("service account key file");
    }
    if (name.equals(".netrc") || name.equals("_netrc")) {
      reasons.add("netrc, holds login passwords");
    }
    if (name.equals(".pgpass")) {
      reasons.add("PostgreSQL password file");
    }
    if (name.equals(".git-credentials")) {
      reasons.add("git credential store");
    }
    if (name.equals("credentials") && (path.equals(".aws/credentials") || path.endsWith("/.aws/credentials"))) {
      reasons.add("AWS credentials file");
    }
    return reasons;
  }

  /** Why a file with this path and content looks like a secret by what it holds. */
  static List<String> reasonsForContent(String path, String text) {
    String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    List<String> reasons = new ArrayList<>();
    if (name.equals(".npmrc") && NPMRC_AUTH.matcher(text).find()) {
      reasons.add("npm registry auth token");
    }
    if (name.equals(".pypirc") && PYPIRC_PASSWORD.matcher(text).find()) {
      reasons.add("PyPI password");
    }
    if (name.equals("credentials") && AWS_CREDENTIALS.matcher(text).find()) {
      reasons.add("AWS credentials file");
    }
    if (PRIVATE_KEY.matcher(text).find()) {
      reasons.add("contains a private key block");
    }
    Matcher aws = AWS_KEY_ID.matcher(text);
    while (aws.find()) {
      if (!aws.group().endsWith("EXAMPLE")) { // AWS's documentation key, AKIAIOSFODNN7EXAMPLE
        reasons.add("contains an AWS access key id");
        break;
      }
    }
    if (AWS_SECRET.matcher(text).find()) {
      reasons.add("contains an AWS secret access key");
    }
    if (GITHUB_TOKEN.matcher(text).find()) {
      reasons.add("contains a GitHub token");
    }
    if (SLACK_TOKEN.matcher(text).find()) {
      reasons.add("contains a Slack token");
    }
    if (GOOGLE_API_KEY.matcher(text).find()) {
      reasons.add("contains a Google API key");
    }
    if (NPM_TOKEN.matcher(text).find()) {
      reasons.add("contains an npm token");
    }
    if (PYPI_TOKEN.matcher(text).find()) {
      reasons.add("contains a PyPI token");
    }
    if (SERVICE_ACCOUNT.matcher(text).find() && JSON_PRIVATE_KEY.matcher(text).find()) {
      reasons.add("Google service account key");
    }
    return reasons;
  }
}
