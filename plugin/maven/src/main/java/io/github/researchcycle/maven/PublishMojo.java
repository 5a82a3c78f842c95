package io.github.researchcycle.maven;

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

  /** This plugin's version, recorded in results.json. */
  @Parameter(defaultValue = "${plugin.version}", readonly = true)
  private String pluginVersion;

  @Override
  public void execute() throws MojoExecutionException, MojoFailureException {
    Publication p = core(() -> new PublishService(RunService.system(), Clock.systemUTC())
        .publish(new PublishRequest(root(), updateReadme, name, pluginVersion), Reporters.of(getLog())));
    getLog().info("Published " + p.verdict() + ": " + p.reason());
    getLog().info("Tag " + p.tag() + (p.tagCreated() ? "" : " (this commit was already published)") + " on "
        + p.commit().substring(0, 12) + "; report " + root().relativize(p.dir().resolve("report.html"))
        + "; bundle " + root().relativize(p.bundle()));
  }
}
