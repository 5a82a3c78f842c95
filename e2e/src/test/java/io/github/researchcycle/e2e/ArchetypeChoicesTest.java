package io.github.researchcycle.e2e;

import static io.github.researchcycle.e2e.ResearchProject.expectFailure;
import static io.github.researchcycle.e2e.ResearchProject.expectOutput;
import static io.github.researchcycle.e2e.ResearchProject.expectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.researchcycle.core.descriptor.Completeness;
import io.github.researchcycle.core.descriptor.DescriptorLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * archetype:generate as a newcomer types it (batch mode), with real Maven and the archetype this
 * build installed: invalid names and values are refused before anything is written, the repository
 * holds only what the chosen data set uses, and the pre-registration starts as TODO examples that
 * the gate refuses. No training: fast enough for every build (no e2e tag).
 */
class ArchetypeChoicesTest {
  @TempDir Path tmp;

  /** {@code archetype:generate} in {@code work} with the usual coordinates, overridden by {@code properties}. */
  static Cmd.Result generate(Path work, String... properties) {
    String version = System.getProperty("research.version");
    assertNotNull(version, "system property research.version (set by the e2e pom) is missing");
    List<String> args = new ArrayList<>(List.of("-o",
        "org.apache.maven.plugins:maven-archetype-plugin:3.3.1:generate",
        "-DarchetypeGroupId=io.github.researchcycle", "-DarchetypeArtifactId=research-archetype",
        "-DarchetypeVersion=" + version, "-DinteractiveMode=false"));
    List<String> given = List.of(properties);
    for (String usual : List.of("groupId=org.example", "artifactId=paper", "package=org.example.paper")) {
      String key = usual.substring(0, usual.indexOf('='));
      if (given.stream().noneMatch(p -> p.startsWith(key + "="))) {
        args.add("-D" + usual);
      }
    }
    given.forEach(p -> args.add("-D" + p));
    return Cmd.run(work, Cmd.mvn(args.toArray(String[]::new)));
  }

  /** Every path under {@code root}, relative, sorted. */
  static List<String> tree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "-D{0} is refused before anything is written")
  @CsvSource(delimiter = '|', value = {
      "artifactId=..                 | The artifactId '..' is not a valid Maven artifactId",
      "artifactId=../escaped         | The artifactId '../escaped' is not a valid Maven artifactId",
      "artifactId=a b                | The artifactId 'a b' is not a valid Maven artifactId",
      "artifactId=a/b                | The artifactId 'a/b' is not a valid Maven artifactId",
      "artifactId=.                  | The artifactId '.' is not a valid Maven artifactId",
      "artifactId=${user.home}       | The artifactId '${user.home}' is not a valid Maven artifactId",
      "groupId=org example           | The groupId 'org example' is not a valid Maven groupId",
      "package=org.example.class     | The package 'org.example.class' uses the Java keyword 'class' as a name",
      "package=org.1paper            | The package 'org.1paper' is not a valid Java package name",
      "package=org..paper            | The package 'org..paper' is not a valid Java package name",
      "package=org.my-paper          | The package 'org.my-paper' is not a valid Java package name",
      "dataset=nothere               | The dataset 'nothere' is unknown. Fix: -Ddataset= one of synthetic, "
          + "fashion-mnist, mnist, csv.",
      "paperHasCode=maybe            | -DpaperHasCode='maybe' is neither true nor false"})
  void refusedBeforeAnythingIsWritten(String property, String message) throws IOException {
    Path work = Files.createDirectories(tmp.resolve("case/work"));
    Cmd.Result r = generate(work, property);
    expectFailure(r);
    expectOutput(r, message);
    // Nothing in the folder it ran in, nor beside it (where ../escaped would have gone).
    assertEquals(List.of("work"), tree(tmp.resolve("case")), r.describe());
  }

  @Test
  void aValidNameIsGeneratedInsideTheFolderOnly() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("case/work"));
    expectSuccess(generate(work, "artifactId=my-paper_2.0", "package=org.example.paper2"));
    assertEquals(List.of("work", "work/my-paper_2.0"), tree(tmp.resolve("case")).stream()
        .filter(p -> Path.of(p).getNameCount() <= 2).toList());
  }

  @ParameterizedTest(name = "-Ddataset={0} generates its manifest {1} only")
  @CsvSource({"synthetic, synthetic.yaml, Wider hidden layers on synthetic spirals",
      "csv, digits.yaml, Wider hidden layers on the UCI digits", "mnist, mnist.yaml, Wider hidden layers on MNIST",
      "fashion-mnist, fashion-mnist.yaml, Wider hidden layers on Fashion-MNIST"})
  void onlyWhatTheChosenDataSetUses(String dataset, String manifest, String title) throws IOException {
    Path work = Files.createDirectories(tmp.resolve("work"));
    expectSuccess(generate(work, "dataset=" + dataset));
    Path project = work.resolve("paper");
    assertEquals(List.of(manifest), tree(project.resolve("data")));
    boolean synthetic = dataset.equals("synthetic");
    assertEquals(synthetic, Files.exists(project.resolve("src/main/java/org/example/paper/SyntheticData.java")));
    String yaml = Files.readString(project.resolve("research.yaml"), StandardCharsets.UTF_8);
    assertTrue(yaml.contains("title: '" + title + "'"), yaml);
    if (!synthetic) {
      for (String file : tree(project)) {
        Path p = project.resolve(file);
        if (Files.isRegularFile(p)) {
          String text = Files.readString(p, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
          assertFalse(text.contains("spiral") || text.contains("karpathy"), file + " still speaks of the spirals");
        }
      }
    }
  }

  @Test
  void theGeneratedPreRegistrationIsRefusedUntilWritten() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("work"));
    expectSuccess(generate(work));
    ResearchProject project = new ResearchProject(work.resolve("paper"));
    assertEquals(List.of("question", "hypothesis", "claim.statement"),
        Completeness.missing(DescriptorLoader.load(project.dir)));
    project.git("init", "-q");
    project.commitAll("Generated");
    Cmd.Result status = project.mvn("-o", "research:status");
    expectSuccess(status);
    expectOutput(status, "research.yaml lacks question, hypothesis, claim.statement");

    project.preRegister();
    assertEquals(List.of(), Completeness.missing(DescriptorLoader.load(project.dir)));
  }
}
