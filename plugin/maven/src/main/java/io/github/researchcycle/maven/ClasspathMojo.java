package io.github.researchcycle.maven;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.artifact.DependencyResolutionRequiredException;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Writes the project's runtime classpath, the dependencies only, into one file (entries separated
 * by the platform's path separator). {@code research:verify} runs it in its offline build of a
 * run's commit, so that this build needs nothing that {@code research:run} did not already resolve:
 * no other plugin, such as maven-dependency-plugin, at a version nobody downloaded.
 *
 * @since 0.1.0
 */
@Mojo(name = "classpath", requiresDependencyResolution = ResolutionScope.RUNTIME, threadSafe = true)
public class ClasspathMojo extends ResearchMojo {
  /** The Maven project. */
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  private MavenProject project;

  /**
   * The file to write. Default: {@code target/research-classpath.txt}.
   *
   * @since 0.1.0
   */
  @Parameter(property = PropertyNames.CLASSPATH_FILE, defaultValue = "${project.build.directory}/research-classpath.txt")
  private File file;

  @Override
  public void execute() throws MojoExecutionException {
    List<String> elements;
    try {
      elements = project.getRuntimeClasspathElements();
    } catch (DependencyResolutionRequiredException e) {
      throw new MojoExecutionException("the project's runtime classpath is not resolved", e);
    }
    String output = project.getBuild().getOutputDirectory();
    List<String> dependencies = elements.stream().filter(e -> !e.equals(output)).toList();
    String line = String.join(File.pathSeparator, dependencies);
    try {
      Path target = file.toPath();
      Files.createDirectories(target.toAbsolutePath().getParent());
      Files.writeString(target, line + System.lineSeparator(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
    }
    getLog().info("Runtime classpath (" + dependencies.size() + " entries) written to " + file);
  }
}
