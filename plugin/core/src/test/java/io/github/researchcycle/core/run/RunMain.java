package io.github.researchcycle.core.run;

import io.github.researchcycle.core.store.ProcessProbe;
import io.github.researchcycle.model.RunIds;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * A launching JVM for tests, as Maven is one: runs {@code args[0]} seeds of the smoke experiment of
 * the repository in the working directory with the overrides {@code args[1..]}, on the test classpath.
 */
public final class RunMain {
  private RunMain() {}

  public static void main(String[] args) throws Exception {
    RunService service = new RunService(Clock.systemUTC(), new RunIds(Clock.systemUTC(), new SecureRandom()),
        ProcessProbe.system(), "testhost");
    RunRequest request = new RunRequest(Path.of("").toAbsolutePath(), "smoke", null,
        List.of(args).subList(1, args.length), null, Integer.parseInt(args[0]), false, null,
        RunServiceFixture.testClasspath(), "0.1.0-SNAPSHOT", false, null, false, null);
    service.run(request, new RunServiceFixture.CapturingReporter());
    System.out.println("all runs done");
  }
}
