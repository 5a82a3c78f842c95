package io.github.researchcycle.core.verify;

import java.nio.file.Path;

/**
 * What {@code research:verify} was asked to do. Null fields mean "the core's default".
 *
 * @param projectDir the research repository
 * @param runId the run to verify; default: the newest finished clean run of the method experiment
 * @param tolerance the largest absolute difference accepted per metric; default 0 (bit-identical, CPU)
 * @param mavenHome the Maven installation that builds the temporary checkout
 * @param localRepository the local Maven repository to build it with (offline)
 * @param classpathGoal the goal, with its plugin's full coordinates and version, that writes the
 *     checkout's runtime classpath: the running plugin's own, which is in the local repository
 *     whenever verify runs, so that the offline build needs no plugin that was never downloaded
 */
public record VerifyRequest(Path projectDir, String runId, Double tolerance, Path mavenHome, Path localRepository,
    String classpathGoal) {}
