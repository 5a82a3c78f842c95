package io.github.researchcycle.model;

import java.util.List;

/**
 * What git says about a research repository at the moment of a run.
 *
 * @param commit the HEAD commit id (40 hex digits)
 * @param branch the current branch, or null when HEAD is detached
 * @param clean whether the research folder has no uncommitted change (run records excepted)
 * @param diffHash {@code sha256:} of the uncommitted changes when not clean, else null
 * @param changedFiles the uncommitted paths, relative to the research folder (at most 50)
 * @param folder the research folder relative to the git work tree ("" when it is the root)
 */
public record GitProvenance(
    String commit, String branch, boolean clean, String diffHash, List<String> changedFiles, String folder) {}
