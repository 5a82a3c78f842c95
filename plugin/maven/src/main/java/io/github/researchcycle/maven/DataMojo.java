package io.github.researchcycle.maven;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.core.data.DataAdder;
import io.github.researchcycle.core.data.DataCache;
import io.github.researchcycle.core.data.DataManifest;
import io.github.researchcycle.core.data.DataManifests;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.core.run.Reporter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Lists the data sets of {@code data/*.yaml} with their licence, citation, size and state in the
 * shared cache (missing, cached, verified); with {@code -Dresearch.data.fetch} fetches them into the
 * cache and checks every sha256. Concurrent fetches of one data set are safe. With
 * {@code -Dresearch.data.add=FILE} writes the manifest of a local CSV file instead.
 *
 * @since 0.1.0
 */
@Mojo(name = "data", requiresProject = true, threadSafe = true)
public class DataMojo extends ResearchMojo {
  /**
   * Fetch the data sets (all, or those of {@code research.data.name}) into the cache, then check
   * every file's sha256 and print each data set's licence and citation.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_FETCH, defaultValue = "false")
  private boolean fetch;

  /**
   * The data sets to act on, names separated by commas. Default: every manifest under {@code data/}.
   * With {@code research.data.add}: the new data set's name (default: the file's base name).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_NAME)
  private String name;

  /**
   * {@code full} hashes every cached file now; {@code fast} (the default) trusts a file whose size
   * and mtime are unchanged since its last full check. A fetch always checks every file in full.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_VERIFY, defaultValue = "fast")
  private String verify;

  /**
   * The data cache shared by research repositories. Default: the environment variable
   * {@code RESEARCH_DATA_CACHE}, else {@code ~/.cache/research-cycle/data}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_CACHE)
  private String cache;

  /**
   * A local CSV file (raw or {@code .gz}; relative to the repository, or absolute) to write the
   * manifest {@code data/NAME.yaml} for: its size, sha256, delimiter, header, the type of every
   * column and the classes of the label column with their counts.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_ADD)
  private String add;

  /**
   * With {@code research.data.add}: the label column, a name from the header or an index (-1 is the
   * last). Default: the last column.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_LABEL)
  private String label;

  /**
   * With {@code research.data.add}: overwrite an existing manifest of that name.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.DATA_FORCE, defaultValue = "false")
  private boolean force;

  /**
   * Skip this goal.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.SKIP, defaultValue = "false")
  private boolean skip;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("research:data skipped (" + PropertyNames.SKIP + ")");
      return;
    }
    Reporter reporter = Reporters.of(getLog());
    if (add != null && !add.isBlank()) {
      DataAdder.Added added = core(() -> DataAdder.add(root(), new DataAdder.Request(add, name, label, force)));
      getLog().info(added.summary());
      added.warnings().forEach(getLog()::warn);
      getLog().info(added.nextStep());
      return;
    }
    core(() -> {
      boolean full = DataService.fullCheck(verify);
      DataService service = new DataService(root(), DataCache.located(cache));
      List<DataManifest> manifests = selected();
      getLog().info("Data sets of " + DataManifests.FOLDER + "/ (cache: " + service.cache().root() + "):");
      if (manifests.isEmpty()) {
        getLog().info("  none. Write one for a local CSV file with mvn research:data -D" + PropertyNames.DATA_ADD
            + "=path/to/file.csv, or by hand (README.md, \"Data manifests\").");
        return null;
      }
      List<String> failures = new ArrayList<>();
      for (DataManifest m : manifests) {
        if (fetch || full) {
          try {
            if (fetch) {
              service.fetch(m, reporter);
            }
            if (!m.generated()) {
              // A fetch hashes each new file once and stamps it; a full check re-hashes everything.
              DataService.Verified v = service.verify(m, full, reporter);
              int n = v.hashed() + v.trusted();
              getLog().info("Data set " + m.name() + ": " + n + (n == 1 ? " file matches" : " files match")
                  + (n == 1 ? " its" : " their") + " sha256" + (v.trusted() > 0
                      ? " (" + v.trusted() + " trusted: unchanged since a full check)" : "") + ".");
            }
          } catch (ResearchException e) {
            failures.add(e.getMessage());
            getLog().error(e.getMessage());
          }
        }
        DataService.Status s = service.status(m);
        getLog().info(String.format(Locale.ROOT, "  %-20s %-9s %-10s %s", m.name(), m.format().yaml(),
            m.generated() ? "generated" : size(m.totalSize()), s.state().word()
                + (m.generated() ? "" : " (" + s.dir() + ")")));
        if (m.description() != null) {
          getLog().info("      " + m.description().strip());
        }
        getLog().info("      licence: " + m.licence().strip());
        if (m.citation() != null) {
          getLog().info("      citation: " + m.citation().strip());
        }
      }
      if (!failures.isEmpty()) {
        throw new ResearchException(String.join(" ", failures));
      }
      if (!fetch && manifests.stream().anyMatch(m -> !m.generated())) {
        getLog().info("Fetch and check them with: mvn research:data -D" + PropertyNames.DATA_FETCH
            + " (one data set: -D" + PropertyNames.DATA_NAME + "=NAME).");
      }
      return null;
    });
  }

  private List<DataManifest> selected() {
    if (name == null || name.isBlank()) {
      return DataManifests.loadAll(root());
    }
    List<DataManifest> list = new ArrayList<>();
    for (String n : Arrays.stream(name.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList()) {
      list.add(DataManifests.load(root(), n));
    }
    return list;
  }

  private static String size(long bytes) {
    if (bytes < 1024 * 1024) {
      return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
  }
}
