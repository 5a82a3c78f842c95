import io.github.researchcycle.core.git.GitInspector;
import io.github.researchcycle.model.GitProvenance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;

/**
 * The git check every research:run makes, on a repository with many committed run folders:
 * GitInspector.inspect (an IndexDiff that never enters runs/ or writeup/) against the named
 * baseline, JGit's StatusCommand over the whole work tree (what the check did before), in the same
 * JVM, alternating. Prints medians; asserts only that both see the same changes.
 *
 * <p>Usage: java GitStatusBench WORKDIR RUNS ROUNDS
 */
public final class GitStatusBench {
  private GitStatusBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int runs = Integer.parseInt(args[1]);
    int rounds = Integer.parseInt(args[2]);
    Files.createDirectories(dir);
    try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
      Files.writeString(dir.resolve("research.yaml"), "title: bench\n");
      Files.createDirectories(dir.resolve("src/main/java"));
      Files.writeString(dir.resolve("src/main/java/Train.java"), "class Train {}\n");
      for (int i = 0; i < runs; i++) {
        Path run = dir.resolve(String.format("runs/20261127-000000-%03d-%08x", i % 1000, i));
        Files.createDirectories(run);
        Files.writeString(run.resolve("run.json"), "{\"id\":" + i + "}\n");
        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":0,\"epoch\":0,\"name\":\"loss\",\"value\":1.0,\"time\":0}\n");
        Files.writeString(run.resolve("output.log"), "epoch 1\n", StandardCharsets.UTF_8);
      }
      git.add().addFilepattern(".").call();
      git.commit().setMessage("runs").setAuthor("bench", "bench@example.org").setCommitter("bench", "bench@example.org")
          .setSign(false).call();
      // One uncommitted change of code, so both sides have something to find.
      Files.writeString(dir.resolve("src/main/java/Train.java"), "class Train { int changed; }\n");
    }
    List<Long> inspect = new ArrayList<>();
    List<Long> status = new ArrayList<>();
    for (int r = 0; r < rounds + 1; r++) {
      long t0 = System.nanoTime();
      GitProvenance p = GitInspector.inspect(dir);
      long t1 = System.nanoTime();
      Status s;
      try (Git git = Git.open(dir.toFile())) {
        s = git.status().call();
      }
      long t2 = System.nanoTime();
      if (!p.changedFiles().equals(List.copyOf(s.getModified())) || p.clean()) {
        throw new AssertionError("different changes: " + p.changedFiles() + " vs " + s.getModified());
      }
      if (r > 0) {
        inspect.add(t1 - t0);
        status.add(t2 - t1);
      } else {
        System.out.printf("cold (first call in this JVM): GitInspector.inspect %.0f ms, StatusCommand %.0f ms%n",
            (t1 - t0) / 1e6, (t2 - t1) / 1e6);
      }
    }
    double a = median(inspect) / 1e6;
    double b = median(status) / 1e6;
    System.out.printf("%d run folders, %d rounds each, medians: GitInspector.inspect %.1f ms, "
        + "baseline JGit StatusCommand %.1f ms, ratio %.3f%n", runs, rounds, a, b, a / b);
  }

  private static double median(List<Long> xs) {
    long[] v = xs.stream().mapToLong(Long::longValue).toArray();
    Arrays.sort(v);
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2.0;
  }
}
