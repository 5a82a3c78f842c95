package io.github.researchcycle.core.config;

import io.github.researchcycle.core.ResearchException;
import io.github.researchcycle.model.ConfigBinding;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Before the training JVM starts: the record an experiment names ({@code hyper: pkg.Hyper}) is
 * loaded from the compiled classes, without running any of its code, and checked against the
 * resolved config with {@link ConfigBinding#check}, so a key no component reads, or a component the
 * experiment lacks, stops {@code research:run} before any run folder.
 */
public final class RecordCheck {
  private RecordCheck() {}

  /** Checks {@code config} against its record, when it names one; nothing when it does not. */
  public static void check(Path root, ResolvedConfig config, List<Path> classpath) {
    var node = config.values().get(ConfigBinding.RECORD_KEY);
    if (node == null || node.isNull() || node.asText().isBlank()) {
      return;
    }
    String name = node.asText().trim();
    String file = config.sources().get(config.sources().size() - 1);
    List<URL> urls = new ArrayList<>();
    for (Path p : classpath) {
      try {
        urls.add(p.toUri().toURL());
      } catch (MalformedURLException e) {
        throw new IllegalStateException(e);
      }
    }
    try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        throw new ResearchException(file + ": `" + ConfigBinding.RECORD_KEY + "` names class " + name
            + ", which is not on the project's classpath. Fix: the record's name with its package, and "
            + "mvn compile.");
      }
      if (!type.isRecord()) {
        throw new ResearchException(file + ": `" + ConfigBinding.RECORD_KEY + "` names " + name
            + ", which is not a record. Fix: declare it as `record " + type.getSimpleName() + "(...)`.");
      }
      List<ConfigBinding.Mismatch> problems;
      try {
        problems = ConfigBinding.check(config.values(), type);
      } catch (LinkageError | IllegalArgumentException e) {
        return; // a component's type the check cannot load here: the training JVM checks again
      }
      if (!problems.isEmpty()) {
        throw new ResearchException(ConfigBinding.describe(problems, key -> where(root, config, key),
            config.experiment(), type.getSimpleName()));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The override or the file and line that set {@code key}; the experiment's own file otherwise. */
  private static String where(Path root, ResolvedConfig config, String key) {
    List<Path> chain = config.sources().stream().map(root::resolve).toList();
    return ConfigRules.where(root, chain, config.overrides(), key);
  }
}
