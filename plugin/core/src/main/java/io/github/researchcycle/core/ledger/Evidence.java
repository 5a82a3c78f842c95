package io.github.researchcycle.core.ledger;

import io.github.researchcycle.core.cycle.PreRegistration;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.git.CodeIdentity;
import io.github.researchcycle.core.git.LedgerHistory;
import io.github.researchcycle.core.git.LedgerMirror;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.model.RunFiles;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import io.github.researchcycle.model.ledger.Ledger;
import io.github.researchcycle.model.ledger.LedgerEntry;
import io.github.researchcycle.model.ledger.LedgerEvent;
import io.github.researchcycle.model.ledger.LedgerException;
import io.github.researchcycle.model.ledger.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the ledger and the run folders say together: every disagreement between them (a missing,
 * altered or unknown run, a rewritten ledger), how each run of the claim experiments stands, the
 * claim as registered and its changes, and the earlier publications. Status, publish and the audit
 * read the same evidence, so they judge the same claim on the same runs.
 *
 * @param ledger the ledger as it is now
 * @param problems each disagreement, one line each, naming the run or the ledger line
 * @param registeredCommit the commit the claim was registered at, or null
 * @param registeredClaim the claim as registered, or null
 * @param lastClaim the claim as last recorded in the ledger, or null
 * @param claimChanges each change since the registration ({@code field: before -> now})
 * @param identity the current code identity (HEAD), or null without a commit
 * @param runs how each run of the given experiments stands, oldest first
 * @param publications the earlier publications, oldest first
 */
public record Evidence(
    Ledger ledger,
    List<String> problems,
    String registeredCommit,
    Map<String, String> registeredClaim,
    Map<String, String> lastClaim,
    List<String> claimChanges,
    String identity,
    List<RunStandingRow> runs,
    List<LedgerEvent.Published> publications) {

  /**
   * One run of a claim experiment and how it stands.
   *
   * @param run the run id
   * @param experiment its experiment
   * @param seed its seed
   * @param status its status
   * @param standing how it stands for the claim
   * @param note the deletion reason, the overrides, or what superseded it
   * @param commit the commit it ran
   */
  public record RunStandingRow(String run, String experiment, long seed, String status, Standing standing,
      String note, String commit) {}

  /** Gathers the evidence of {@code root}: its ledger, its run folders ({@code records}) and git. */
  public static Evidence gather(Path root, List<RunRecord> records, Set<String> claimExperiments, String head)
      throws IOException {
    return build(root, records, claimExperiments, head, true);
  }

  /** The evidence of a folder without git (an unpacked bundle): the chain and the folders only. */
  public static Evidence withoutGit(Path root, List<RunRecord> records, Set<String> claimExperiments)
      throws IOException {
    return build(root, records, claimExperiments, null, false);
  }

  private static Evidence build(Path root, List<RunRecord> records, Set<String> claimExperiments, String head,
      boolean git) throws IOException {
    List<String> problems = new ArrayList<>();
    Ledger ledger;
    try {
      ledger = Ledger.read(LedgerRecorder.file(root));
    } catch (LedgerException e) {
      problems.add(e.getMessage());
      ledger = Ledger.parse(LedgerRecorder.file(root), List.of());
    }
    problems.addAll(ledger.chainProblems());
    if (git) {
      problems.addAll(LedgerHistory.problems(root, RunFiles.LEDGER, ledger));
      Optional<Ledger> mirror = LedgerMirror.read(root, LedgerRecorder.file(root));
      if (mirror.isPresent() && ledger.partsFrom(mirror.get()) != 0) {
        int from = ledger.partsFrom(mirror.get());
        problems.add(RunFiles.LEDGER + " lacks or changes entries from " + from + " on that the plugin appended "
            + "here (" + mirror.get().size() + " entries, kept on " + LedgerMirror.refName(root) + "): entries were "
            + "removed before they were committed. Fix: git cat-file blob " + LedgerMirror.refName(root) + " > "
            + RunFiles.LEDGER + ", then declare any run you do not want with mvn research:delete");
      }
    }

    Map<String, RunRecord> byId = new LinkedHashMap<>();
    records.forEach(r -> byId.put(r.id(), r));
    Map<String, List<LedgerEntry>> entries = new LinkedHashMap<>();
    for (LedgerEntry e : ledger.entries()) {
      if (e.event().run() != null) {
        entries.computeIfAbsent(e.event().run(), k -> new ArrayList<>()).add(e);
      }
    }
    Path runsDir = root.resolve(RunFiles.RUNS);
    for (String id : folders(runsDir)) {
      if (!entries.containsKey(id)) {
        problems.add("runs/" + id + " has no entry in the ledger: it was not recorded by the plugin (copied in, "
            + "made by hand, or recorded before the ledger existed). Fix: remove it, or, for runs made before the "
            + "ledger, enter them with mvn research:audit -Dresearch.audit.adopt=true (the ledger says so)");
      }
    }
    Map<String, String> deleted = new LinkedHashMap<>();
    for (Map.Entry<String, List<LedgerEntry>> e : entries.entrySet()) {
      String id = e.getKey();
      LedgerEvent last = e.getValue().get(e.getValue().size() - 1).event();
      if (last instanceof LedgerEvent.RunDeleted d) {
        deleted.put(id, d.reason());
        continue;
      }
      Path dir = runsDir.resolve(id);
      if (!Files.isRegularFile(dir.resolve(RunFiles.RUN_JSON))) {
        problems.add("run " + id + " is in the ledger but runs/" + id + " is missing. A run is removed only by "
            + "declaring it: mvn research:delete -Dresearch.run=" + id + " -Dresearch.reason=\"…\" (restore it "
            + "with git checkout -- runs/" + id + ")");
        continue;
      }
      String[] hashes = lastHashes(e.getValue());
      RunRecord r = byId.get(id);
      String rewritten = endedTwice(e.getValue());
      if (rewritten != null) {
        problems.add("run " + id + "'s end is in the ledger twice without a resumption between (" + rewritten
            + "): the plugin ends a run once per attempt, so an entry was added by hand");
      }
      long resumed = e.getValue().stream().filter(x -> x.event() instanceof LedgerEvent.RunResumed).count();
      boolean adopted = e.getValue().get(0).event() instanceof LedgerEvent.RunAdopted;
      if (r != null && !adopted && resumed != (r.resumes() == null ? 0 : r.resumes().size())) {
        problems.add("runs/" + id + "/run.json lists " + (r.resumes() == null ? 0 : r.resumes().size())
            + " resumption(s) and the ledger " + resumed + ": one of them was changed by hand");
      }
      if (hashes == null) {
        if (r != null && !r.status().active()) {
          problems.add("runs/" + id + " says it " + r.status().json() + ", but the ledger never recorded its end:"
              + " its record was changed outside the plugin");
        }
        continue;
      }
      differs(problems, dir, id, RunFiles.RUN_JSON, hashes[0]);
      differs(problems, dir, id, RunFiles.METRICS, hashes[1]);
    }

    String identity = head == null ? null : CodeIdentity.at(root, head);
    List<RunStandingRow> rows = new ArrayList<>();
    for (Map.Entry<String, List<LedgerEntry>> e : entries.entrySet()) {
      LedgerEvent first = e.getValue().get(0).event();
      String experiment;
      long seed;
      String runIdentity;
      List<String> overrides;
      String purpose;
      String sweep;
      String commit;
      if (first instanceof LedgerEvent.RunStarted s) {
        experiment = s.experiment();
        seed = s.seed();
        runIdentity = s.codeIdentity();
        overrides = s.overrides();
        purpose = s.purpose();
        sweep = s.sweep();
        commit = s.commit();
      } else if (first instanceof LedgerEvent.RunAdopted a) {
        RunRecord r = byId.get(a.run());
        experiment = a.experiment();
        seed = a.seed();
        runIdentity = a.codeIdentity();
        overrides = r == null ? List.of() : r.overrides();
        purpose = r == null ? null : r.purpose();
        sweep = r == null || r.sweep() == null ? null : r.sweep().name();
        commit = r == null || r.git() == null ? null : r.git().commit();
      } else {
        continue;
      }
      if (!claimExperiments.contains(experiment) || purpose != null || sweep != null) {
        continue;
      }
      RunRecord r = byId.get(e.getKey());
      if (r != null && r.dryRun()) {
        continue;
      }
      String status = r == null ? "missing" : r.status().json();
      Standing standing;
      String note = null;
      if (deleted.containsKey(e.getKey())) {
        standing = Standing.DELETED;
        note = deleted.get(e.getKey());
        status = lastStatus(e.getValue());
      } else if (r == null || r.status() != RunStatus.FINISHED) {
        standing = Standing.NOT_FINISHED;
        note = r == null ? null : r.reason();
      } else if (runIdentity == null) {
        standing = Standing.DIRTY;
      } else if (!runIdentity.equals(identity)) {
        standing = Standing.SUPERSEDED;
        note = "ran code or experiments since changed";
      } else if (overrides != null && !overrides.isEmpty()) {
        standing = Standing.OTHER_CONFIG;
        note = "overrides " + String.join(", ", overrides);
      } else {
        standing = Standing.COUNTED;
      }
      if (first instanceof LedgerEvent.RunAdopted) {
        // Entered after the fact: the writeup says so beside the run.
        note = (note == null ? "" : note + "; ") + "entered into the ledger after the fact";
      }
      rows.add(new RunStandingRow(e.getKey(), experiment, seed, status, standing, note, commit));
    }

    String registeredCommit = null;
    Map<String, String> registered = null;
    Map<String, String> lastClaim = null;
    List<LedgerEvent.Published> publications = new ArrayList<>();
    for (LedgerEntry e : ledger.entries()) {
      if (e.event() instanceof LedgerEvent.ClaimRegistered c && registered == null) {
        registeredCommit = c.commit();
        registered = c.claim();
        lastClaim = c.claim();
      } else if (e.event() instanceof LedgerEvent.ClaimChanged c) {
        lastClaim = c.claim();
      } else if (e.event() instanceof LedgerEvent.Published p) {
        publications.add(p);
      }
    }
    List<String> changes = registered == null || lastClaim == null ? List.of()
        : ClaimFields.changes(registered, lastClaim);
    return new Evidence(ledger, List.copyOf(new LinkedHashSet<>(problems)), registeredCommit, registered, lastClaim, changes, identity,
        List.copyOf(rows), List.copyOf(publications));
  }

  /**
   * The pre-registration the claim is judged against: research.yaml at the commit the ledger
   * registered the claim at, or, in a repository whose ledger has no registration yet, at the first
   * full run's commit. Status and publish both ask here, so they judge the same claim.
   */
  public Optional<PreRegistration> preRegistration(Path root, Descriptor current, List<RunRecord> usable) {
    if (registeredCommit == null) {
      return PreRegistration.find(root, current, usable);
    }
    String firstRun = runs.stream().map(RunStandingRow::run).sorted().findFirst().orElse(null);
    return PreRegistration.at(root, current, registeredCommit, firstRun);
  }

  /** The ids of the runs that count for the claim. */
  public Set<String> counted() {
    Set<String> ids = new LinkedHashSet<>();
    runs.stream().filter(r -> r.standing() == Standing.COUNTED).forEach(r -> ids.add(r.run()));
    return ids;
  }

  /** The records that may enter the claim's statistics: the counted ones, and every run of other experiments. */
  public List<RunRecord> usable(List<RunRecord> records) {
    Set<String> judged = new LinkedHashSet<>();
    runs.forEach(r -> judged.add(r.run()));
    Set<String> counted = counted();
    return records.stream().filter(r -> !judged.contains(r.id()) || counted.contains(r.id())).toList();
  }

  /** The runs of {@code experiment} in a standing. */
  public List<RunStandingRow> of(String experiment, Standing standing) {
    return runs.stream().filter(r -> r.experiment().equals(experiment) && r.standing() == standing).toList();
  }

  /** The smoke experiment never backs a claim; the claim experiments of a descriptor's fields. */
  public static Set<String> claimExperiments(String method, String baseline) {
    Set<String> s = new LinkedHashSet<>();
    Stream.of(method, baseline).filter(Objects::nonNull)
        .filter(x -> !RunRequest.DEFAULT_EXPERIMENT.equals(x)).forEach(s::add);
    return s;
  }

  private static String[] lastHashes(List<LedgerEntry> entries) {
    String[] hashes = null;
    for (LedgerEntry e : entries) {
      if (e.event() instanceof LedgerEvent.RunEnded x) {
        hashes = new String[] {x.runJson(), x.metrics()};
      } else if (e.event() instanceof LedgerEvent.RunAdopted x) {
        hashes = new String[] {x.runJson(), x.metrics()};
      } else if (e.event() instanceof LedgerEvent.RunResumed) {
        hashes = null;
      }
    }
    return hashes;
  }

  /** The entries of a second end within one attempt (start or resumption to the next), or null. */
  private static String endedTwice(List<LedgerEntry> entries) {
    Integer ended = null;
    for (LedgerEntry e : entries) {
      if (e.event() instanceof LedgerEvent.RunResumed) {
        ended = null;
      } else if (e.event() instanceof LedgerEvent.RunEnded) {
        if (ended != null) {
          return "entries " + ended + " and " + e.seq();
        }
        ended = e.seq();
      }
    }
    return null;
  }

  private static String lastStatus(List<LedgerEntry> entries) {
    String status = "deleted";
    for (LedgerEntry e : entries) {
      if (e.event() instanceof LedgerEvent.RunEnded x) {
        status = x.status();
      } else if (e.event() instanceof LedgerEvent.RunAdopted x) {
        status = x.status();
      } else if (e.event() instanceof LedgerEvent.RunDeleted x && x.status() != null) {
        status = x.status();
      }
    }
    return status;
  }

  private static void differs(List<String> problems, Path dir, String id, String file, String expected)
      throws IOException {
    String actual = Sha256.ofFile(dir.resolve(file));
    if (!Objects.equals(expected, actual)) {
      problems.add("runs/" + id + "/" + file + (actual == null ? " is missing" : " differs from what the ledger "
          + "recorded when the run ended (" + shortHash(expected) + ", now " + shortHash(actual) + ")")
          + ": the run's evidence was changed after the fact. Fix: git checkout -- runs/" + id);
    }
  }

  private static String shortHash(String h) {
    return h == null ? "none" : h.substring(0, Math.min(h.length(), Sha256.PREFIX.length() + 12));
  }

  private static List<String> folders(Path runsDir) throws IOException {
    if (!Files.isDirectory(runsDir)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(runsDir)) {
      return dirs.map(d -> d.getFileName().toString()).filter(RunIds::isValid).sorted().toList();
    }
  }
}
