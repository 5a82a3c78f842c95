package io.github.researchcycle.core.launch;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.launch.slurm.SlurmLauncher;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.core.store.RunStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The launcher of each target, made when first asked for: a local run never loads the cluster
 * targets' classes (the Kubernetes model and Jackson 3 cost a cold JVM a noticeable fraction of a
 * second).
 */
public final class Launchers {
  private final Map<String, Supplier<Launcher>> byTarget;
  private final Map<String, Launcher> made = new ConcurrentHashMap<>();

  private Launchers(Map<String, Supplier<Launcher>> byTarget) {
    this.byTarget = Map.copyOf(byTarget);
  }

  /** The launchers of this plugin, on this machine's programs. */
  public static Launchers system() {
    Map<String, Supplier<Launcher>> m = new TreeMap<>();
    m.put("local", LocalLauncher::new);
    m.put(KubernetesLauncher.TARGET, KubernetesLauncher::new);
    m.put(TpuVmLauncher.TARGET, TpuVmLauncher::new);
    m.put(SlurmLauncher.TARGET, SlurmLauncher::new);
    return new Launchers(m);
  }

  /** These launchers with {@code launcher} for {@code target} (for tests, or another scheduler client). */
  public Launchers with(String target, Launcher launcher) {
    Map<String, Supplier<Launcher>> m = new TreeMap<>(byTarget);
    m.put(target, () -> launcher);
    return new Launchers(m);
  }

  /** The launcher of {@code target}. */
  public Launcher of(String target) {
    Supplier<Launcher> l = byTarget.get(target);
    if (l == null) {
      throw new ResearchException("Target `" + target + "` is declared by the profile, but this version of "
          + "research-maven-plugin cannot launch on it yet. Fix: use a profile with target "
          + String.join(" or ", byTarget.keySet()) + ".");
    }
    return made.computeIfAbsent(target, t -> l.get());
  }

  /**
   * Reconciles every queued or running record of a scheduler with that scheduler; returns the
   * records changed. Local runs are reconciled by {@link RunStore#reconcile}.
   */
  public List<RunRecord> reconcile(RunStore store, List<RunRecord> records) throws IOException {
    Map<String, List<RunRecord>> active = records.stream().filter(r -> r.status().active() && r.scheduled() && !r.dryRun())
        .collect(Collectors.groupingBy(r -> r.launcher().target(), TreeMap::new, Collectors.toList()));
    List<RunRecord> changed = new ArrayList<>();
    for (var e : active.entrySet()) {
      if (byTarget.containsKey(e.getKey())) {
        changed.addAll(of(e.getKey()).reconcile(store, e.getValue()));
      }
    }
    return changed;
  }

  /** The records with the changed ones in place (by id). */
  public static List<RunRecord> replace(List<RunRecord> records, List<RunRecord> changed) {
    Map<String, RunRecord> byId = changed.stream().collect(Collectors.toMap(RunRecord::id, Function.identity(),
        (a, b) -> b));
    return records.stream().map(r -> byId.getOrDefault(r.id(), r)).toList();
  }
}
