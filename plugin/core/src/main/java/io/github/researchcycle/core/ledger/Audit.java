package io.github.researchcycle.core.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.config.YamlFiles;
import io.github.researchcycle.core.cycle.PreRegistration;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.CodeIdentity;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.core.publish.Tagger;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import io.github.researchcycle.model.ledger.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * {@code research:audit}: replays the ledger against the run folders, the claim history in git and
 * the publication tags, and says either that all agree or each disagreement by name. Needs no network.
 */
public final class Audit {

  private final Clock clock;

  /** An audit stamped by {@code clock} (used only when entering runs made before the ledger). */
  public Audit(Clock clock) {
    this.clock = clock;
  }

  /**
   * The audit's result.
   *
   * @param disagreements each disagreement, one line each; empty when all agree
   * @param notes what a reader should know that is no disagreement (tags absent from this clone, …)
   * @param summary one line: what was checked
   */
  public record Result(List<String> disagreements, List<String> notes, String summary) {
    /** Whether the ledger, the folders, the claim history and the tags agree. */
    public boolean agrees() {
      return disagreements.isEmpty();
    }
  }

  /** Audits the research folder {@code root} whose run records are in {@code store}. */
  public Result audit(Path root, RunStore store) throws IOException {
    List<RunRecord> records = store.list();
    boolean git = GitInspector.isInside(root);
    Descriptor d = DescriptorLoader.load(root);
    String head = git ? GitHistory.headCommit(root).orElse(null) : null;
    Evidence ev = git ? Evidence.gather(root, records, Evidence.claimExperiments(d.method(), d.baseline()), head)
        : Evidence.withoutGit(root, records, Evidence.claimExperiments(d.method(), d.baseline()));
    List<String> disagreements = new ArrayList<>(ev.problems());
    List<String> notes = new ArrayList<>();
    if (!git) {
      notes.add("no git repository here (an unpacked bundle): the chain and the run folders were checked; "
          + "the ledger's history and the tags were not");
    }
    if (git) {
      checkClaims(root, ev.ledger(), disagreements);
      Map<String, String> now = ClaimFields.of(d);
      if (ev.lastClaim() != null && !ev.lastClaim().equals(now)) {
        notes.add("research.yaml's claim differs from the last one in the ledger ("
            + String.join("; ", ClaimFields.changes(ev.lastClaim(), now))
            + "); the next run of a claim experiment or publication records the change");
      }
      checkTags(root, ev, disagreements, notes);
    }
    int signed = 0;
    for (LedgerEntry e : ev.ledger().entries()) {
      Boolean ok = GitSigning.verify(e);
      if (ok != null) {
        signed++;
        if (!ok) {
          disagreements.add("ledger entry " + e.seq() + " carries a signature that does not match it (or that this "
              + "machine cannot check: gpg needs the signer's public key; ssh-keygen must be installed)");
        }
      }
    }
    if (signed > 0) {
      notes.add(signed + " of " + ev.ledger().size() + " ledger entries are signed");
    }
    String summary = "ledger " + RunFiles.LEDGER + ": " + ev.ledger().size() + " entries, head "
        + (ev.ledger().head() == null ? "(empty)" : ev.ledger().head()) + "; " + records.size() + " run folders, "
        + ev.publications().size() + " publication(s)";
    return new Result(List.copyOf(disagreements), List.copyOf(notes), summary);
  }

  private static void checkClaims(Path root, Ledger ledger, List<String> out) {
    for (LedgerEntry e : ledger.entries()) {
      String commit;
      Map<String, String> claim;
      if (e.event() instanceof LedgerEvent.ClaimRegistered c) {
        commit = c.commit();
        claim = c.claim();
      } else if (e.event() instanceof LedgerEvent.ClaimChanged c) {
        commit = c.commit();
        claim = c.claim();
      } else {
        continue;
      }
      Optional<String> text = GitHistory.fileAt(root, commit, DescriptorLoader.FILE);
      if (text.isEmpty()) {
        continue;
      }
      try {
        Map<String, String> there = ClaimFields.of(YamlFiles.parseLenient(text.get(), Descriptor.class));
        if (!there.equals(claim)) {
          out.add("ledger entry " + e.seq() + " records the claim at commit " + commit.substring(0, 12)
              + ", but research.yaml there says otherwise (" + String.join("; ", ClaimFields.changes(claim, there))
              + ")");
        }
      } catch (IOException ex) {
        out.add("ledger entry " + e.seq() + ": research.yaml at commit " + commit.substring(0, 12) + " is unreadable");
      }
    }
  }

  private static void checkTags(Path root, Evidence ev, List<String> out, List<String> notes) {
    Set<String> prefixes = new HashSet<>();
    Map<String, LedgerEvent.Published> byTag = new HashMap<>();
    for (LedgerEvent.Published p : ev.publications()) {
      byTag.put(p.tag(), p);
      Matcher m = Tagger.PUBLISHED.matcher(p.tag());
      if (m.matches()) {
        prefixes.add(m.group(1));
      }
    }
    prefixes.add(root.toAbsolutePath().normalize().getFileName() + "-published-");
    Map<String, Tagger.Tag> tags = new HashMap<>();
    for (String prefix : prefixes) {
      for (Tagger.Tag t : Tagger.list(root, prefix)) {
        if (Tagger.publishedNumber(t.name()) > 0) {
          tags.put(t.name(), t);
        }
      }
    }
    for (LedgerEvent.Published p : ev.publications()) {
      Tagger.Tag t = tags.get(p.tag());
      if (t == null) {
        notes.add("publication " + p.number() + " (" + p.tag() + ", " + p.verdict() + ") has no tag in this clone "
            + "(tags do not travel with a plain clone); the ledger keeps it");
      } else if (p.commit() != null && !p.commit().equals(t.commit())) {
        out.add("tag " + p.tag() + " points to " + t.commit().substring(0, 12) + ", but the ledger published "
            + p.commit().substring(0, 12) + ": the tag was moved");
      }
    }
    for (Tagger.Tag t : tags.values()) {
      if (!byTag.containsKey(t.name())) {
        out.add("tag " + t.name() + " marks a publication that the ledger does not record");
      }
    }
  }

  /**
   * Enters runs made before the ledger existed, and the publication the kept rendering names, as
   * entries that say they were made after the fact. Refuses runs younger than the ledger's first
   * run: those were made under the ledger and must already be in it.
   */
  public List<String> adopt(Path root, RunStore store, String why) throws IOException {
    Path file = LedgerRecorder.file(root);
    Ledger ledger = Ledger.read(file);
    String firstStart = ledger.entries().stream()
        .filter(e -> e.event() instanceof LedgerEvent.RunStarted).map(e -> e.event().run()).findFirst().orElse(null);
    List<String> entered = new ArrayList<>();
    List<RunRecord> records = store.list();
    Descriptor d = DescriptorLoader.load(root);
    if (ledger.entries().stream().noneMatch(e -> e.event() instanceof LedgerEvent.ClaimRegistered)) {
      Optional<PreRegistration> pre = PreRegistration.find(root, d, records);
      if (pre.isPresent()) {
        new LedgerRecorder(root, clock).recordClaim(pre.get().commit());
        entered.add("the claim as registered at commit " + pre.get().commit().substring(0, 12));
      }
    }
    for (RunRecord r : records) {
      if (!ledger.about(r.id()).isEmpty()) {
        continue;
      }
      if (firstStart != null && r.id().compareTo(firstStart) > 0) {
        throw new ResearchException("runs/" + r.id() + " was made after the ledger's "
            + "first run (" + firstStart + ") yet is not in it; only runs made before the ledger can be entered "
            + "after the fact. Fix: remove runs/" + r.id() + " (git checkout, or delete the folder).");
      }
      Path dir = store.dir(r.id());
      String identity = r.git() != null && r.git().clean() ? CodeIdentity.at(root, r.git().commit()) : null;
      LedgerFile.append(root, new LedgerEvent.RunAdopted(r.id(), r.status().json(), r.experiment(), r.seed(), identity,
          r.configHash(), Sha256.ofFile(dir.resolve(RunFiles.RUN_JSON)), Sha256.ofFile(dir.resolve(RunFiles.METRICS)),
          why), clock.instant());
      entered.add("run " + r.id());
    }
    Path kept = root.resolve("writeup/published/results.json");
    if (Files.isRegularFile(kept)) {
      JsonNode results = Json.mapper().readTree(kept.toFile());
      String tag = results.path("tag").asText(null);
      int number = Tagger.publishedNumber(tag);
      boolean known = Ledger.read(file).entries().stream()
          .anyMatch(e -> e.event() instanceof LedgerEvent.Published p && p.tag().equals(tag));
      if (number > 0 && !known) {
        List<String> runs = new ArrayList<>();
        results.path("runsUsed").forEach(n -> runs.add(n.asText()));
        Map<String, String> claim = ClaimFields.of(d);
        LedgerFile.append(root, new LedgerEvent.Published(number, tag,
            results.path("verdict").asText(null), claim, List.of(), null, results.path("commit").asText(null),
            null, runs, why + " (from writeup/published/results.json)"), clock.instant());
        entered.add("publication " + tag);
      }
    }
    return entered;
  }

}
