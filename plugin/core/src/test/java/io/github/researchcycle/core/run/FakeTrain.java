package io.github.researchcycle.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.MetricsWriter;
import io.github.researchcycle.core.store.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A training process for tests: reads its run folder from {@code -Dresearch.run.dir}, its config
 * from {@code run.json}, logs {@code training.epochs} loss and accuracy lines, writes
 * {@code environment.json}, then sleeps {@code behaviour.sleepMillis} (and
 * {@code behaviour.sleepUnlessResumed} unless resumed) and exits with {@code behaviour.exit}.
 */
public final class FakeTrain {
  private FakeTrain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(System.getProperty(RunService.RUN_DIR_PROPERTY));
    // Its last words, also on SIGTERM: they must reach output.log.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("fake-train: exiting")));
    JsonNode run = Json.mapper().readTree(dir.resolve(RunStore.RUN_JSON).toFile());
    JsonNode config = run.get("config");
    int epochs = config.path("training").path("epochs").asInt(1);
    int exit = config.path("behaviour").path("exit").asInt(0);
    long sleepMillis = config.path("behaviour").path("sleepMillis").asLong(0);
    if (!Boolean.getBoolean(RunService.RESUME_PROPERTY)) {
      sleepMillis += config.path("behaviour").path("sleepUnlessResumed").asLong(0);
    }
    Files.writeString(dir.resolve(RunStore.ENVIRONMENT), "{\"engine\":\"fake\"}\n");
    MetricsWriter metrics = new MetricsWriter(dir.resolve(RunStore.METRICS), 20, System::currentTimeMillis);
    for (int epoch = 0; epoch < epochs; epoch++) {
      double loss = 1.0 / (epoch + 1 + run.get("seed").asLong());
      metrics.log("loss", loss, epoch + 1, epoch);
      metrics.log("accuracy", 1 - loss, epoch + 1, epoch);
      System.out.print("epoch " + (epoch + 1) + " [====]\r");
      System.out.println("epoch " + (epoch + 1) + " loss " + loss);
    }
    System.out.println("logged " + epochs + " epochs");
    System.out.flush();
    if (sleepMillis > 0) {
      // The metrics reach the file by the writer's own timer, as they would in a killed run.
      Thread.sleep(sleepMillis);
    }
    metrics.close();
    System.exit(exit);
  }
}
