package io.github.researchcycle.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** research:data -Dresearch.data.add: writes the manifest, prints it and the next step, refuses in one line. */
class DataMojoTest {
  @TempDir Path root;
  @TempDir Path elsewhere;

  /** Maven's log, kept. */
  static final class Lines extends SystemStreamLog {
    final List<String> info = new ArrayList<>();
    final List<String> warn = new ArrayList<>();

    @Override
    public void info(CharSequence content) {
      info.add(content.toString());
    }

    @Override
    public void warn(CharSequence content) {
      warn.add(content.toString());
    }
  }

  static void set(Object target, Class<?> type, String field, Object value) throws Exception {
    Field f = type.getDeclaredField(field);
    f.setAccessible(true);
    f.set(target, value);
  }

  DataMojo mojo(String add, String name, boolean force, Lines log) throws Exception {
    DataMojo mojo = new DataMojo();
    set(mojo, ResearchMojo.class, "basedir", root.toFile());
    set(mojo, DataMojo.class, "add", add);
    set(mojo, DataMojo.class, "name", name);
    set(mojo, DataMojo.class, "force", force);
    set(mojo, DataMojo.class, "verify", "fast");
    set(mojo, DataMojo.class, "cache", root.resolve("cache").toString());
    mojo.setLog(log);
    return mojo;
  }

  Path iris(Path dir) throws Exception {
    Path csv = dir.resolve("iris.csv");
    Files.createDirectories(dir);
    Files.writeString(csv, "a,b,species\n1.0,2,x\n1.5,3,y\n2.5,4,x\n");
    return csv;
  }

  @Test
  void writesTheManifestAndPrintsWhatAndTheNextStep() throws Exception {
    iris(root.resolve("data/raw"));
    Lines log = new Lines();
    mojo("data/raw/iris.csv", null, false, log).execute();
    assertTrue(Files.isRegularFile(root.resolve("data/iris.yaml")));
    assertTrue(log.info.get(0).startsWith("Wrote data/iris.yaml: 3 rows, 3 columns, label `species` (2 classes), "
        + "sha256 "), log.info.toString());
    assertTrue(log.info.get(1).startsWith("Next: set `data.name: iris` in experiments/baseline.yaml; then "
        + "`mvn research:run -Dresearch.experiment=smoke`."), log.info.toString());
    assertTrue(log.warn.isEmpty(), log.warn.toString());
    Lines list = new Lines();
    mojo(null, null, false, list).execute();
    assertTrue(list.info.stream().anyMatch(l -> l.contains("iris") && l.contains("csv")), list.info.toString());
  }

  @Test
  void anEmptyRepositoryIsToldHowToAddADataSet() throws Exception {
    Lines log = new Lines();
    mojo(null, null, false, log).execute();
    assertTrue(log.info.get(1).contains("mvn research:data -Dresearch.data.add=path/to/file.csv"), log.info.toString());
  }

  @Test
  void refusesAnExistingManifestInOneLineAndOverwritesWhenForced() throws Exception {
    iris(root.resolve("data/raw"));
    mojo("data/raw/iris.csv", "flowers", false, new Lines()).execute();
    MojoFailureException e = assertThrows(MojoFailureException.class,
        () -> mojo("data/raw/iris.csv", "flowers", false, new Lines()).execute());
    assertEquals("data/flowers.yaml exists already. Fix: choose another name (-Dresearch.data.name=NAME), or "
        + "overwrite it with -Dresearch.data.force=true.", e.getMessage());
    mojo("data/raw/iris.csv", "flowers", true, new Lines()).execute();
  }

  @Test
  void warnsAboutAFileOutsideTheRepository() throws Exception {
    Path csv = iris(elsewhere);
    Lines log = new Lines();
    mojo(csv.toString(), null, false, log).execute();
    assertEquals(1, log.warn.size());
    assertTrue(log.warn.get(0).contains("a reader elsewhere cannot fetch it"), log.warn.get(0));
    assertTrue(Files.readString(root.resolve("data/iris.yaml")).contains("path: '" + csv.toAbsolutePath()));
  }

  @Test
  void refusesARaggedFileWritingNothing() throws Exception {
    Files.writeString(root.resolve("bad.csv"), "a,b\n1,2\n3\n");
    MojoFailureException e = assertThrows(MojoFailureException.class,
        () -> mojo("bad.csv", null, false, new Lines()).execute());
    assertTrue(e.getMessage().contains("bad.csv: row 3 (line 3) has 1 column, the header has 2."), e.getMessage());
    assertFalse(Files.exists(new File(root.toFile(), "data/bad.yaml").toPath()));
  }
}
