package io.github.researchcycle.maven;

import io.github.researchcycle.core.compare.RunTable;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Shows runs side by side: id, experiment, seed, status, the config keys that differ between
 * them, and their final metrics, as a table, Markdown, CSV or JSON on standard output.
 *
 * @since 0.1.0
 */
@Mojo(name = "compare", threadSafe = true, requiresProject = true)
public class CompareMojo extends ResearchMojo {
  /**
   * Only these experiments (comma-separated); all when unset.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.EXPERIMENT)
  private String experiment;

  /**
   * Only runs in these statuses (comma-separated: finished, failed, crashed, interrupted, running).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.STATUS)
  private String status;

  /**
   * The output format: {@code table} (default), {@code markdown}, {@code csv} or {@code json}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.FORMAT)
  private String format;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    RunTable.Format f = core(() -> RunTable.Format.parse(format));
    RunTable.Table table = core(() -> RunTable.load(root().resolve("runs"), split(experiment), split(status)));
    System.out.print(core(() -> RunTable.render(table, f)));
    System.out.flush();
    if (f == RunTable.Format.TABLE) {
      getLog().info(table.rows().size() + " runs; config keys that differ: "
          + (table.differing().isEmpty() ? "none" : String.join(", ", table.differing())));
    }
  }

  private static Set<String> split(String csv) {
    return csv == null || csv.isBlank() ? null
        : Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }
}
