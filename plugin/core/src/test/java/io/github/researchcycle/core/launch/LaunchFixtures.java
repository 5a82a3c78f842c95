package io.github.researchcycle.core.launch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.researchcycle.core.CapturingReporter;
import io.github.researchcycle.core.run.Reporter;
import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.core.store.RunStore;
import io.github.researchcycle.model.GitProvenance;
import io.github.researchcycle.model.RunIds;
import io.github.researchcycle.model.RunRecord;
import io.github.researchcycle.model.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Records, stores and contexts for the launcher tests, with fixed times and ids. */
final class LaunchFixtures {
  /** The name that must never break or inject into a script or manifest. */
  static final String HOSTILE = "a b'c;$x";
  static final Instant START = Instant.parse("2026-11-27T02:51:20.123Z");
  static final Clock CLOCK = Clock.fixed(START, ZoneOffset.UTC);
  static final GitProvenance GIT = new GitProvenance("9b0e4d2a6c13f7e8a1b2c3d4e5f60718293a4b5c", "main", true, null,
      List.of(), null);

  private LaunchFixtures() {}

  static RunStore store(Path project) {
    return new RunStore(project.resolve("runs"), CLOCK, new RunIds(CLOCK, new Random(7)), ProcessProbe.system());
  }

  /** A queued record of {@code experiment} with a folder in {@code store}, under a fixed id. */
  static RunRecord queued(RunStore store, String id, String experiment, long seed, String target) throws IOException {
    Files.createDirectories(store.dir(id));
    ObjectNode config = JsonNodeFactory.instance.objectNode();
    config.putObject("training").put("epochs", 2).put("batch", 64);
    config.putObject("optimizer").put("lr", 0.01);
    RunRecord r = new RunRecord(RunRecord.SCHEMA, id, experiment, "p", RunStatus.QUEUED, null, START, null, null, null,
        "testhost", null, GIT, false, config, "sha256:00", List.of("experiments/" + experiment + ".yaml"), List.of(),
        "org.example.Train", seed, null, null, new RunRecord.Launcher(target, null, "1g", null, null, null, null, null),
        null, null, null, null);
    store.write(r);
    return r;
  }

  /** The tests' reporter. */
  static final class Capture extends CapturingReporter {}

  static LaunchContext context(Path project, RunStore store, String profileName, LaunchProfile profile,
      Map<String, String> properties, Reporter reporter, boolean wait, boolean dryRun, int parallel) {
    return new LaunchContext(project, store, profileName, profile, List.of(project.resolve("target/classes")),
        properties, false, reporter, "0.1.0-SNAPSHOT", wait, dryRun, parallel, CLOCK);
  }

  static LaunchProfile kubernetes(LaunchProfile.Kubernetes k, String devices, Integer cpus, String memory,
      String timeLimit, Map<String, String> env) {
    return new LaunchProfile("on the cluster", "kubernetes", devices, null, null, "6g", memory, timeLimit, cpus, null,
        null, env, null, k, null);
  }

  static LaunchProfile tpu(LaunchProfile.Tpu t, LaunchProfile.Batch batch, Map<String, String> env) {
    return new LaunchProfile("a TPU VM", "tpu-vm", "tpu", batch, null, null, null, null, null, null, null, env, null,
        null, t);
  }
}
