package io.github.researchcycle.core.cycle;

import io.github.researchcycle.core.config.YamlFiles;
import io.github.researchcycle.core.descriptor.Descriptor;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import io.github.researchcycle.core.git.GitHistory;
import io.github.researchcycle.core.run.RunRequest;
import io.github.researchcycle.model.RunRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The pre-registration: {@code research.yaml} as it stood at the commit of the first run of an
 * experiment other than smoke, read from git history, so that the claim cannot be edited after the
 * results without showing.
 *
 * @param commit the commit of the first full run
 * @param firstRun the id of that run
 * @param registered the descriptor at that commit
 * @param changes the pre-registered fields that differ now, as "field: before -> now"
 */
public record PreRegistration(String commit, String firstRun, Descriptor registered, List<String> changes) {

  /** Whether the claim or its criterion changed after the pre-registration. */
  public boolean changed() {
    return !changes.isEmpty();
  }

  /** Finds the pre-registration, if a full run exists; compares it with {@code current}. */
  public static Optional<PreRegistration> find(Path root, Descriptor current, List<RunRecord> runs) {
    Optional<RunRecord> first = runs.stream()
        .filter(r -> !RunRequest.DEFAULT_EXPERIMENT.equals(r.experiment()))
        .filter(r -> r.isExperimentRun() && !r.dryRun())
        .filter(r -> r.git() != null)
        .min(Comparator.comparing(RunRecord::id));
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return at(root, current, first.get().git().commit(), first.get().id());
  }

  /** The pre-registration as research.yaml stood at {@code commit} (the ledger's registration), against {@code current}. */
  public static Optional<PreRegistration> at(Path root, Descriptor current, String commit, String firstRun) {
    Optional<String> text = GitHistory.fileAt(root, commit, DescriptorLoader.FILE);
    Descriptor registered;
    try {
      registered = text.isEmpty() ? null : YamlFiles.parseLenient(text.get(), Descriptor.class);
    } catch (IOException e) {
      registered = null;
    }
    List<String> changes = new ArrayList<>();
    if (registered == null) {
      changes.add("research.yaml: not committed, or unreadable, at the first full run's commit " + commit.substring(0, 12));
    } else {
      compare(changes, "metric.name", registered.metric() == null ? null : registered.metric().name(),
          current.metric() == null ? null : current.metric().name());
      compare(changes, "metric.goal", registered.metric() == null ? null : registered.metric().goal(),
          current.metric() == null ? null : current.metric().goal());
      compare(changes, "baseline", registered.baseline(), current.baseline());
      compare(changes, "method", registered.method(), current.method());
      compare(changes, "seeds", registered.seeds(), current.seeds());
      Descriptor.Claim a = registered.claim();
      Descriptor.Claim b = current.claim();
      compare(changes, "claim.type", a == null ? null : a.type(), b == null ? null : b.type());
      compare(changes, "claim.reported", a == null ? null : a.reported(), b == null ? null : b.reported());
      compare(changes, "claim.tolerance", a == null ? null : a.tolerance(), b == null ? null : b.tolerance());
      compare(changes, "claim.margin", a == null ? null : a.margin(), b == null ? null : b.margin());
      compare(changes, "claim.statement", a == null ? null : a.statement(), b == null ? null : b.statement());
    }
    return Optional.of(new PreRegistration(commit, firstRun, registered, List.copyOf(changes)));
  }

  private static void compare(List<String> changes, String field, Object before, Object now) {
    if (!Objects.equals(before, now)) {
      changes.add(field + ": " + show(before) + " -> " + show(now));
    }
  }

  private static String show(Object o) {
    return o == null ? "(unset)" : o instanceof String ? "'" + o + "'" : o.toString().toLowerCase(Locale.ROOT);
  }
}
