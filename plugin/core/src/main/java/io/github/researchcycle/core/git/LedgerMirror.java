package io.github.researchcycle.core.git;

import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.errors.IncorrectObjectTypeException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;

/**
 * A second copy of the ledger kept by git itself, on a ref of its own ({@code
 * refs/research/ledger/FOLDER}), moved forward at every append: entries removed from the working
 * file before they were ever committed are still there to be named. The ref stays in this clone
 * (plain pushes do not carry it); the committed file is what travels.
 */
public final class LedgerMirror {
  /** The prefix of the mirror refs, one per research folder. */
  public static final String REF_PREFIX = "refs/research/ledger/";

  private LedgerMirror() {}

  /** The mirror ref of the research folder {@code root}. */
  public static String refName(Path root) {
    try (Repository repo = GitInspector.open(root)) {
      return refName(repo, root);
    }
  }

  private static String refName(Repository repo, Path root) {
    String prefix = GitInspector.prefix(repo, root);
    return REF_PREFIX + (prefix.isEmpty() ? "root" : prefix.substring(0, prefix.length() - 1));
  }

  /**
   * Points the mirror at the ledger file as it is now, if that only extends what the mirror holds;
   * a mirror that holds more (entries removed from the file) is left as it is, as evidence.
   */
  public static void update(Path root, Path ledgerFile) throws IOException {
    byte[] bytes = Files.readAllBytes(ledgerFile);
    try (Repository repo = GitInspector.open(root)) {
      String name = refName(repo, root);
      Ref ref = repo.exactRef(name);
      if (ref != null) {
        Ledger mirrored = parse(repo, ref.getObjectId(), ledgerFile);
        Ledger now = Ledger.parse(ledgerFile, lines(bytes));
        if (mirrored == null || now.partsFrom(mirrored) != 0) {
          return;
        }
      }
      ObjectId blob;
      try (ObjectInserter inserter = repo.newObjectInserter()) {
        blob = inserter.insert(Constants.OBJ_BLOB, bytes);
        inserter.flush();
      }
      RefUpdate update = repo.updateRef(name);
      update.setExpectedOldObjectId(ref == null ? ObjectId.zeroId() : ref.getObjectId());
      update.setNewObjectId(blob);
      update.setForceUpdate(true);
      update.setRefLogMessage("research: ledger appended", false);
      update.update();
    }
  }

  /** The mirrored ledger of {@code root}, if this clone has one. */
  public static Optional<Ledger> read(Path root, Path ledgerFile) throws IOException {
    try (Repository repo = GitInspector.open(root)) {
      Ref ref = repo.exactRef(refName(repo, root));
      return ref == null ? Optional.empty() : Optional.ofNullable(parse(repo, ref.getObjectId(), ledgerFile));
    }
  }

  private static Ledger parse(Repository repo, ObjectId blob, Path shown) throws IOException {
    try {
      return Ledger.parse(shown, lines(repo.open(blob, Constants.OBJ_BLOB).getBytes()));
    } catch (LedgerException | IncorrectObjectTypeException e) {
      return null;
    }
  }

  private static List<String> lines(byte[] bytes) {
    return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n", -1));
  }
}
