package io.github.researchcycle.core.verify;

import static io.github.researchcycle.core.TestFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.CapturingReporter;
import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.run.RunService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The offline build of a run's checkout names every plugin it invokes with its version. */
class VerifyBuildTest {
  @TempDir Path dir;

  @Test
  void theOfflineBuildInvokesOnlyTheCompilePhaseAndAFullyQualifiedClasspathGoal() {
    String goal = "io.github.researchcycle:research-maven-plugin:0.1.0:classpath";
    List<String> command = VerifyService.buildCommand(Path.of("mvn"), goal, dir.resolve("cp.txt"), dir.resolve("m2"));
    assertEquals(List.of("mvn", "-B", "-q", "-o", "compile", goal,
        "-D" + VerifyService.CLASSPATH_FILE_PROPERTY + "=" + dir.resolve("cp.txt"),
        "-Dmaven.repo.local=" + dir.resolve("m2")), command);
    for (String argument : command.subList(1, command.size())) {
      // A plugin goal given by prefix (dependency:build-classpath) would take Maven's default
      // version of that plugin, which nothing may have downloaded: offline, the build would stop.
      if (!argument.startsWith("-") && argument.contains(":")) {
        assertEquals(4, argument.split(":").length, "groupId:artifactId:version:goal, not a prefix: " + argument);
      }
    }
    assertFalse(String.join(" ", command).contains("dependency:"), "no maven-dependency-plugin");
  }

  @Test
  void aBuildThatFailsOfflineNamesTheCommitItsErrorAndTheFix() throws Exception {
    // A Maven installation whose mvn records its arguments and fails as an offline build without a plugin does.
    Path mvn = write(dir, "maven/bin/mvn", "#!/bin/sh\necho \"$@\" > \"" + dir.resolve("args") + "\"\n"
        + "echo '[ERROR] Plugin org.example:p:1.0 or one of its dependencies could not be resolved: Cannot access "
        + "central in offline mode'\nexit 1\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path folder = Files.createDirectories(dir.resolve("checkout"));
    Path verifyDir = Files.createDirectories(dir.resolve("verify"));
    String goal = "io.github.researchcycle:research-maven-plugin:0.1.0:classpath";
    VerifyRequest request = new VerifyRequest(folder, null, null, dir.resolve("maven"), null, goal);
    ResearchException e = assertThrows(ResearchException.class,
        () -> VerifyService.build(folder, "0123abcd", request, new CapturingReporter(), verifyDir));
    assertEquals("The checkout of commit 0123abcd does not build offline (exit code 1: Plugin org.example:p:1.0 or "
        + "one of its dependencies could not be resolved: Cannot access central in offline mode); see "
        + verifyDir.resolve("build.log") + ". Fix: build that commit once online (check it out and run mvn compile "
        + goal + " in its research folder), then verify again.", e.getMessage());
    assertTrue(Files.readString(dir.resolve("args")).startsWith("-B -q -o compile " + goal + " -Dresearch.classpathFile="));
  }

  @Test
  void aFailedBuildIsExplainedByItsFirstErrorLine() {
    Path log = write(dir, "build.log", "[INFO] Scanning\n[ERROR] \n[ERROR] Plugin org.apache.maven.plugins:"
        + "maven-compiler-plugin:3.13.0 or one of its dependencies could not be resolved: Cannot access central in "
        + "offline mode\n[ERROR] second\n");
    assertEquals(": Plugin org.apache.maven.plugins:maven-compiler-plugin:3.13.0 or one of its dependencies could not "
        + "be resolved: Cannot access central in offline mode", VerifyService.firstError(log));
    assertEquals("", VerifyService.firstError(dir.resolve("absent.log")));
    String longLine = "[ERROR] " + "x".repeat(400);
    assertTrue(VerifyService.firstError(write(dir, "long.log", longLine)).endsWith("x…"));
  }

  @Test
  void aNegativeOrInfiniteToleranceIsRefusedBeforeAnythingElse() {
    for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
      ResearchException e = assertThrows(ResearchException.class,
          () -> new VerifyService(RunService.system(), Clock.systemUTC())
              .verify(new VerifyRequest(dir, null, bad, null, null, null), new CapturingReporter()));
      assertTrue(e.getMessage().startsWith("-Dresearch.tolerance=" + bad
          + " is not a tolerance"), e.getMessage());
    }
  }
}
