package io.github.researchcycle.core.data;

import java.nio.file.Path;
import java.time.Duration;

/** Fetches one data set in a process of its own: args are the project root, the cache root and the name. */
public final class FetchMain {
  private FetchMain() {}

  public static void main(String[] args) throws Exception {
    DataFixtures.Lines lines = new DataFixtures.Lines();
    DataService service = new DataService(Path.of(args[0]), new DataCache(Path.of(args[1])), Duration.ofMillis(5));
    DataManifest m = DataManifests.load(Path.of(args[0]), args[2]);
    DataService.Fetched f = service.fetch(m, lines);
    service.verify(m, true, lines);
    System.out.println("fetched " + f.fetched());
    System.out.println(lines);
  }
}
