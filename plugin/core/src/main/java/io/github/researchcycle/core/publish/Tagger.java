package io.github.researchcycle.core.publish;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.git.GitInspector;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.RefAlreadyExistsException;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.UserConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * The annotated git tag that marks a published commit. Tags are never moved: a published tag is
 * what readers cite, so a name that exists on another commit is refused, not reused.
 */
public final class Tagger {
  /** The tagger when git config names nobody. */
  static final String DEFAULT_NAME = "Research Cycle";

  /** The tagger's email when git config names none. */
  static final String DEFAULT_EMAIL = "research@localhost";

  private static final Pattern VERSIONED = Pattern.compile("(.*?)(\\d+)");

  /**
   * A tag on a commit.
   *
   * @param name the tag's short name (without refs/tags/)
   * @param commit the full id of the commit it points to
   * @param created whether this call created it (false: it was already there)
   */
  public record Tag(String name, String commit, boolean created) {}

  /** A publication tag's name: the series ({@code NAME-published-}) and the number. */
  public static final Pattern PUBLISHED = Pattern.compile("(.+-published-)(\\d{1,9})");

  private Tagger() {}

  /** The number of a publication tag ({@code NAME-published-N}), or 0 when the name is not one. */
  public static int publishedNumber(String tag) {
    Matcher m = tag == null ? null : PUBLISHED.matcher(tag);
    return m != null && m.matches() ? Integer.parseInt(m.group(2)) : 0;
  }

  /**
   * Tags HEAD with an annotated tag {@code name} carrying {@code message}; the tagger is the
   * committer from git config, or "Research Cycle &lt;research@localhost&gt;". If an annotated tag of
   * that name is already on HEAD, returns it with {@code created == false} and creates nothing.
   *
   * @throws ResearchException if the name is not a valid tag name, if there is no commit, or if the
   *     name is taken by a tag on another commit (or by a lightweight tag)
   */
  public static Tag tag(Path folder, String name, String message) {
    checkName(name);
    try (Repository repo = GitInspector.open(folder); Git git = new Git(repo); RevWalk walk = new RevWalk(repo)) {
      ObjectId head = repo.resolve("HEAD^{commit}");
      if (head == null) {
        throw new ResearchException("the git repository at " + repo.getWorkTree() + " has no commit to tag. "
            + "Fix: git add -A && git commit -m \"Start the research\", then publish.");
      }
      RevCommit commit = walk.parseCommit(head);
      Ref ref = repo.exactRef(Constants.R_TAGS + name);
      if (ref != null) {
        return existing(repo, ref, name, commit);
      }
      try {
        git.tag().setName(name).setObjectId(commit).setAnnotated(true).setSigned(false).setForceUpdate(false)
            .setTagger(tagger(repo.getConfig())).setMessage(message(name, message)).call();
      } catch (RefAlreadyExistsException e) {
        // Created by someone else between the look-up and now.
        Ref raced = repo.exactRef(Constants.R_TAGS + name);
        if (raced != null) {
          return existing(repo, raced, name, commit);
        }
        throw e;
      }
      return new Tag(name, commit.name(), true);
    } catch (IOException | GitAPIException e) {
      throw new ResearchException("cannot create the git tag " + name + ": " + e.getMessage(), e);
    }
  }

  /**
   * An annotated tag whose name starts with {@code namePrefix} on {@code commit} (with
   * {@code created == false}); if there are several, the oldest (by tagger date, then name).
   * Empty if there is none, or if the commit does not exist.
   */
  public static Optional<Tag> findOn(Path folder, String commit, String namePrefix) {
    String prefix = namePrefix == null ? "" : namePrefix;
    try (Repository repo = GitInspector.open(folder); RevWalk walk = new RevWalk(repo)) {
      ObjectId target = SecretScan.findCommit(repo, commit);
      if (target == null) {
        return Optional.empty();
      }
      record Found(Tag tag, Instant when) {}
      List<Found> found = new ArrayList<>();
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + prefix)) {
        Ref peeled = repo.getRefDatabase().peel(ref);
        if (peeled.getPeeledObjectId() != null && peeled.getPeeledObjectId().equals(target)) {
          RevTag tag = walk.parseTag(ref.getObjectId());
          Instant when = tag.getTaggerIdent() == null ? Instant.EPOCH : tag.getTaggerIdent().getWhenAsInstant();
          String name = ref.getName().substring(Constants.R_TAGS.length());
          found.add(new Found(new Tag(name, target.name(), false), when));
        }
      }
      return found.stream().min(Comparator.comparing(Found::when).thenComparing(f -> f.tag().name()))
          .map(Found::tag);
    } catch (IOException e) {
      throw new ResearchException("cannot read the git tags: " + e.getMessage(), e);
    }
  }

  /** Every tag whose name starts with {@code namePrefix}, with the commit it points to. */
  public static List<Tag> list(Path folder, String namePrefix) {
    try (Repository repo = GitInspector.open(folder)) {
      List<Tag> tags = new ArrayList<>();
      for (Ref ref : repo.getRefDatabase().getRefsByPrefix(Constants.R_TAGS + namePrefix)) {
        Ref peeled = repo.getRefDatabase().peel(ref);
        ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
        tags.add(new Tag(ref.getName().substring(Constants.R_TAGS.length()), target.name(), false));
      }
      return tags;
    } catch (IOException e) {
      throw new ResearchException("cannot read the git tags: " + e.getMessage(), e);
    }
  }

  /**
   * Deletes the tag {@code name} if it exists (rollback of a publish that failed after tagging).
   * Call it only for a tag this publish created ({@link Tag#created()}), never for one it found.
   */
  public static void delete(Path folder, String name) {
    checkName(name);
    try (Repository repo = GitInspector.open(folder); Git git = new Git(repo)) {
      if (repo.exactRef(Constants.R_TAGS + name) != null) {
        git.tagDelete().setTags(Constants.R_TAGS + name).call();
      }
    } catch (IOException | GitAPIException e) {
      throw new ResearchException("cannot delete the git tag " + name + ": " + e.getMessage()
          + ". Fix: git tag -d " + name, e);
    }
  }

  /** Refuses names git cannot use as a tag, with the reason. */
  static void checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new ResearchException("a tag name is needed. Fix: pass a name like study-v1.");
    }
    if (name.startsWith("-") || !Repository.isValidRefName(Constants.R_TAGS + name)) {
      throw new ResearchException("'" + name + "' is not a valid git tag name (no spaces, no ~ ^ : ? * [ \\, no '..', "
          + "no leading '-', no trailing '.' or '/', no '.lock' ending). Fix: use a name like study-v1.");
    }
  }

  /** The committer from git config, or "Research Cycle &lt;research@localhost&gt;" for what it lacks. */
  static PersonIdent tagger(Config config) {
    UserConfig user = config.get(UserConfig.KEY);
    String name = user.isCommitterNameImplicit() || blank(user.getCommitterName()) ? DEFAULT_NAME
        : user.getCommitterName();
    String email = user.isCommitterEmailImplicit() || blank(user.getCommitterEmail()) ? DEFAULT_EMAIL
        : user.getCommitterEmail();
    return new PersonIdent(name, email);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** Git's own shape for a tag message: not empty, ending with one newline. */
  private static String message(String name, String message) {
    String m = message == null ? "" : message.strip();
    return (m.isEmpty() ? "Published " + name : m) + "\n";
  }

  /** The tag {@code name} that exists already: fine on this commit if annotated, refused otherwise. */
  private static Tag existing(Repository repo, Ref ref, String name, RevCommit head) throws IOException {
    Ref peeled = repo.getRefDatabase().peel(ref);
    boolean annotated = peeled.getPeeledObjectId() != null;
    ObjectId target = annotated ? peeled.getPeeledObjectId() : ref.getObjectId();
    if (head.equals(target)) {
      if (annotated) {
        return new Tag(name, head.name(), false);
      }
      throw new ResearchException("the tag " + name + " is already on this commit, but as a lightweight tag; "
          + "a published commit carries an annotated tag. Fix: git tag -d " + name + ", then publish again.");
    }
    throw new ResearchException("the tag " + name + " already exists on commit " + abbreviate(target)
        + ", not on HEAD (" + abbreviate(head) + "); a published tag is never moved. Fix: choose another name or a "
        + "new version, e.g. " + nextFree(repo, name) + ".");
  }

  private static String abbreviate(ObjectId id) {
    return id == null ? "(none)" : id.name().substring(0, 12);
  }

  /** The next name in the series that is not taken: study-v1 gives study-v2, study gives study-v2. */
  static String nextFree(Repository repo, String name) throws IOException {
    Matcher m = VERSIONED.matcher(name);
    String stem;
    long n;
    if (m.matches() && m.group(2).length() < 10) {
      stem = m.group(1);
      n = Long.parseLong(m.group(2)) + 1;
    } else {
      stem = name + "-v";
      n = 2;
    }
    while (repo.exactRef(Constants.R_TAGS + stem + n) != null) {
      n++;
    }
    return stem + n;
  }
}
