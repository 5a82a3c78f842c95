package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.git.GitInspector;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Writes the reproduction bundle: a zip of the research folder exactly as one commit holds it,
 * plus generated files (the rendered writeup, REPRODUCE.md).
 *
 * <p>The zip is deterministic: entries are sorted by name, every entry carries the commit's time
 * (in UTC, so the time zone of the machine does not matter) and nothing else varies, so the same
 * commit and the same extra files give a byte-identical zip.
 *
 * <p>Known limits of a plain zip: executable bits are not kept (java.util.zip cannot write Unix
 * modes), a tracked symbolic link becomes a small file holding the link's target (as git itself
 * does with {@code core.symlinks=false}), and submodules are not included.
 */
public final class Bundle {
  /** Dates before this cannot be written as DOS times; such commits get this time in the zip. */
  private static final LocalDateTime EARLIEST = LocalDateTime.of(1980, 1, 1, 0, 0, 2);
  private static final LocalDateTime LATEST = LocalDateTime.of(2107, 12, 31, 23, 59, 58);

  private Bundle() {}

  /**
   * Writes {@code zip}: the research folder's tracked files at {@code commit} (read from git, paths
   * relative to the folder) and the {@code extra} files (zip path, relative, to a file on disk),
   * all under one top-level directory named after the zip file without {@code .zip}. An extra file
   * replaces a tracked file of the same path (a generated writeup wins over a committed copy).
   *
   * <p>The zip is written to a temporary file beside {@code zip} and moved into place atomically,
   * so a reader never sees half a bundle and a failure leaves a previous bundle as it was.
   *
   * @return {@code zip}
   * @throws ResearchException if the commit does not exist, if the folder holds no files in it, if
   *     an extra path is not a plain relative path or its file is missing, or if a tracked file
   *     looks like a secret (see {@link SecretScan}); nothing is written then
   */
  public static Path write(Path folder, String commit, Path zip, Map<String, Path> extra) {
    Map<String, Path> extras = extra == null ? Map.of() : extra;
    List<String> secrets = SecretScan.find(folder, commit);
    if (!secrets.isEmpty()) {
      throw new ResearchException(secretMessage(secrets));
    }
    String top = topDirectory(zip);
    TreeMap<String, Path> extraFiles = new TreeMap<>();
    for (var e : extras.entrySet()) {
      String rel = checkedZipPath(e.getKey());
      Path file = e.getValue();
      if (file == null || !Files.isRegularFile(file)) {
        throw new ResearchException("the bundle's extra file " + rel + " should come from " + file
            + ", which is not a file. Fix: render it before writing the bundle.");
      }
      extraFiles.put(rel, file);
    }

    try (Repository repo = GitInspector.open(folder); ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      ObjectId id = SecretScan.resolveCommit(repo, commit);
      RevCommit c = walk.parseCommit(id);
      String prefix = GitInspector.prefix(repo, folder);
      TreeMap<String, SecretScan.TreeFile> tracked = SecretScan.tree(repo, c.getTree(), prefix);
      if (tracked.isEmpty()) {
        throw new ResearchException("commit " + c.name() + " holds no files of the research folder "
            + (prefix.isEmpty() ? repo.getWorkTree().toString() : prefix) + ". Fix: commit the research folder, then "
            + "publish.");
      }
      extraFiles.keySet().forEach(tracked::remove);
      TreeSet<String> names = new TreeSet<>();
      names.addAll(tracked.keySet());
      names.addAll(extraFiles.keySet());
      TreeSet<String> dirs = directories(names);
      for (String dir : dirs) {
        if (names.contains(dir.substring(0, dir.length() - 1))) {
          throw new ResearchException("the bundle would hold " + dir.substring(0, dir.length() - 1)
              + " both as a file and as a folder. Fix: give the extra file another path.");
        }
      }

      TreeMap<String, Object> entries = new TreeMap<>();
      entries.put(top + "/", null);
      dirs.forEach(d -> entries.put(top + "/" + d, null));
      tracked.forEach((k, v) -> entries.put(top + "/" + k, v.id()));
      extraFiles.forEach((k, v) -> entries.put(top + "/" + k, v));
      LocalDateTime time = zipTime(c.getCommitterIdent().getWhenAsInstant());

      Path target = zip.toAbsolutePath().normalize();
      Path parent = target.getParent();
      Files.createDirectories(parent);
      Path tmp = Files.createTempFile(parent, "." + target.getFileName() + ".", ".tmp");
      try {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp));
            ZipOutputStream zos = new ZipOutputStream(out)) {
          for (var entry : entries.entrySet()) {
            ZipEntry ze = new ZipEntry(entry.getKey());
            ze.setTimeLocal(time);
            if (entry.getValue() == null) { // a directory: stored, empty
              ze.setMethod(ZipEntry.STORED);
              ze.setSize(0);
              ze.setCompressedSize(0);
              ze.setCrc(0);
            }
            zos.putNextEntry(ze);
            if (entry.getValue() instanceof ObjectId blob) {
              reader.open(blob, Constants.OBJ_BLOB).copyTo(zos);
            } else if (entry.getValue() instanceof Path file) {
              Files.copy(file, zos);
            }
            zos.closeEntry();
          }
        }
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return zip;
    } catch (IOException e) {
      throw new ResearchException("cannot write the bundle " + zip + ": " + e.getMessage(), e);
    }
  }

  /** The refusal for tracked files that look like secrets: names them and gives the fix. */
  static String secretMessage(List<String> secrets) {
    String files = secrets.stream().map(s -> s.substring(0, s.indexOf(" ("))).distinct()
        .map(Bundle::shellQuote).collect(Collectors.joining(" "));
    return "Refusing to write the reproduction bundle: tracked files look like secrets:\n  - "
        + String.join("\n  - ", secrets)
        + "\nFix: remove it from git (git rm --cached " + files + "), rotate the secret (it stays in the git "
        + "history), add it to .gitignore, commit, then publish again. If a file is not a secret (a test fixture, "
        + "a public certificate), list it in " + SecretAllowList.FILE + " with its path, rule, fingerprint and the "
        + "reason it is not a secret.";
  }

  private static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9._/@%+=:,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  private static String topDirectory(Path zip) {
    String name = zip.getFileName() == null ? "" : zip.getFileName().toString();
    if (name.toLowerCase(Locale.ROOT).endsWith(".zip")) {
      name = name.substring(0, name.length() - 4);
    }
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw new ResearchException("the bundle path " + zip + " has no usable file name. Fix: name it like study.zip.");
    }
    return name;
  }

  private static String checkedZipPath(String path) {
    boolean bad = path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("\\")
        || path.contains(":");
    if (!bad) {
      for (String part : path.split("/", -1)) {
        bad |= part.isEmpty() || part.equals(".") || part.equals("..");
      }
    }
    if (bad) {
      throw new ResearchException("the bundle's extra path '" + path + "' is not a plain relative path. "
          + "Fix: use a path like writeup/post.md (forward slashes, no '..').");
    }
    return path;
  }

  /** Every parent folder of the names, each with a trailing slash. */
  private static TreeSet<String> directories(Iterable<String> names) {
    TreeSet<String> dirs = new TreeSet<>();
    for (String name : names) {
      for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
        dirs.add(name.substring(0, i + 1));
      }
    }
    return dirs;
  }

  private static LocalDateTime zipTime(Instant commitTime) {
    LocalDateTime t = LocalDateTime.ofInstant(commitTime, ZoneOffset.UTC);
    return t.isBefore(EARLIEST) ? EARLIEST : t.isAfter(LATEST) ? LATEST : t;
  }
}
