package io.github.researchcycle.maven;

import io.github.researchcycle.core.publish.CheckResult;
import io.github.researchcycle.core.publish.Publication;
import io.github.researchcycle.core.publish.PublishRequest;
import io.github.researchcycle.core.publish.PublishService;
import io.github.researchcycle.core.run.RunService;
import java.time.Clock;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Publishes the research: refuses unless the pre-registration is complete, the claim is evaluated
 * with every seed, a run is verified, everything is committed, the README's results table is current
 * and no tracked file looks like a secret; then renders {@code writeup/post.md.vm}, a self-contained
 * report page and results.json under {@code target/publish/}, writes a reproduction bundle and makes
 * an annotated git tag carrying the verdict. A negative result publishes as a negative result.
 *
 * <p>With {@code -Dresearch.copyTo=writeup/published} the rendering is also copied into the research
 * repository, to be committed; {@code -Dresearch.check=true} later renders it again from the run records
 * and fails, naming each file, unless the committed copy and the README's table are byte for byte what
 * the records give (a check for CI: no tag, no bundle, no file changed).
 *
 * @since 0.1.0
 */
@Mojo(name = "publish", threadSafe = true, requiresProject = true)
public class PublishMojo extends ResearchMojo {
  /**
   * Rewrite the README's results table (between {@code <!-- research:results:start -->} and
   * {@code <!-- research:results:end -->}) from the run records instead of refusing a stale one.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.UPDATE_README, defaultValue = "false")
  private boolean updateReadme;

  /**
   * The tag prefix. Default: the research folder's name; tags are PREFIX-published-N.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.NAME)
  private String name;

  /**
   * A folder of the research repository that receives a copy of the rendering (post.md, report.html,
   * results.json, figures/) after publishing, to be committed, for example {@code writeup/published}.
   * With {@code research.check}: the folder compared (default {@code writeup/published}).
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.COPY_TO)
  private String copyTo;

  /**
   * Publish nothing: render again from the run records (for the publication that the kept copy's
   * results.json names) into {@code target/publish-check/} and compare it byte for byte with the kept
   * copy and the README's results table; fails naming every file that differs.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CHECK, defaultValue = "false")
  private boolean check;

  /**
   * Put the files of data sets whose {@code file:} source lies outside the repository into the
   * bundle, when the manifest's licence allows redistribution (CC-BY*, CC0, MIT, BSD*, Apache-2.0,
   * ODbL); otherwise the bundle's manifest names no folder and publish warns.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.BUNDLE_DATA, defaultValue = "false")
  private boolean bundleData;

  /** This plugin's version, recorded in results.json. */
  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  private String pluginVersion;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    PublishService service = new PublishService(RunService.system(), Clock.systemUTC());
    PublishRequest request = new PublishRequest(root(), updateReadme, name, pluginVersion, copyTo, check, bundleData);
    if (check) {
      CheckResult c = core(() -> service.check(request, Reporters.of(getLog())));
      getLog().info("Checked " + c.verdict() + ": " + c.reason());
      return;
    }
    Publication p = core(() -> service.publish(request, Reporters.of(getLog())));
    getLog().info("Published " + p.verdict() + ": " + p.reason());
    getLog().info("Tag " + p.tag() + (p.tagCreated() ? "" : " (this commit was already published)") + " on "
        + p.commit().substring(0, 12) + "; report " + root().relativize(p.dir().resolve("report.html"))
        + "; bundle " + root().relativize(p.bundle()));
  }
}
