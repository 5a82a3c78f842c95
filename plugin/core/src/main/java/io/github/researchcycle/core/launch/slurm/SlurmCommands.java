package io.github.researchcycle.core.launch.slurm;

import io.github.researchcycle.core.launch.Programs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link SlurmClient} through Slurm's command-line tools: {@code sbatch --parsable},
 * {@code scontrol show job -o}, {@code sacct} (with an accounting daemon), {@code sacct -c} (with
 * {@code JobCompType=jobcomp/filetxt} and none), {@code scancel}.
 */
public final class SlurmCommands implements SlurmClient {
  /** How long one Slurm command may take. */
  static final long TIMEOUT_SECONDS = 60;

  private static final Pattern JOB_ID = Pattern.compile("[0-9]+");
  private static final Pattern EXIT = Pattern.compile("(-?[0-9]+):(-?[0-9]+)");

  /** Runs one command and returns what it said. */
  @FunctionalInterface
  public interface Runner {
    /** Runs {@code command} in {@code workDir}. */
    Output run(List<String> command, Path workDir) throws IOException;
  }

  /**
   * What a command said.
   *
   * @param code its exit code
   * @param stdout its standard output
   * @param stderr its standard error
   */
  public record Output(int code, String stdout, String stderr) {
    /** Both outputs on one line, for messages. */
    String words() {
      String all = (stderr.strip() + " " + stdout.strip()).strip();
      return all.isEmpty() ? "exit code " + code : all.replaceAll("\\s*\\R\\s*", " | ");
    }
  }

  private final Runner runner;
  private final Predicate<String> onPath;

  /** A client on the given runner, with {@code onPath} telling which programs exist. */
  public SlurmCommands(Runner runner, Predicate<String> onPath) {
    this.runner = runner;
    this.onPath = onPath;
  }

  /** The client on this machine's programs. */
  public static SlurmCommands system() {
    return new SlurmCommands(SlurmCommands::exec, program -> Programs.system().find(program).isPresent());
  }

  @Override
  public Optional<String> unavailable() {
    for (String program : List.of("sbatch", "scontrol")) {
      if (!onPath.test(program)) {
        return Optional.of(program + " is not on the PATH: Slurm's commands are not installed on this machine");
      }
    }
    try {
      Output ping = runner.run(List.of("scontrol", "ping"), Path.of(System.getProperty("java.io.tmpdir")));
      if (!ping.stdout().contains(" is UP")) {
        return Optional.of("`scontrol ping` finds no Slurm controller that answers (" + ping.words() + ")");
      }
    } catch (IOException e) {
      return Optional.of("`scontrol ping` failed: " + e.getMessage());
    }
    return Optional.empty();
  }

  @Override
  public String submit(Path script, Path workDir) throws IOException {
    Output out = runner.run(List.of("sbatch", "--parsable", script.toAbsolutePath().toString()), workDir);
    if (out.code() != 0) {
      throw new SlurmException("sbatch refused the job: " + out.words());
    }
    return parseSubmitted(out.stdout());
  }

  /** The job id in {@code sbatch --parsable}'s answer ({@code 42} or {@code 42;cluster}). */
  static String parseSubmitted(String stdout) throws SlurmException {
    String first = stdout.strip().lines().reduce((a, b) -> b).orElse("");
    String id = first.contains(";") ? first.substring(0, first.indexOf(';')) : first;
    if (!JOB_ID.matcher(id).matches()) {
      throw new SlurmException("sbatch answered `" + stdout.strip() + "`, not a job id");
    }
    return id;
  }

  @Override
  public Job job(String jobId) throws IOException {
    Output out = runner.run(List.of("scontrol", "show", "job", "-o", jobId), tmp());
    if (out.code() != 0) {
      if (out.words().contains("Invalid job id")) {
        return Job.unknown();
      }
      throw new SlurmException("scontrol show job " + jobId + ": " + out.words());
    }
    return parseShowJob(out.stdout());
  }

  /**
   * The tasks in {@code scontrol show job -o}'s answer: one line per job, or per task of an array,
   * where the tasks still pending share a line ({@code ArrayTaskId=2-5%2}).
   */
  static Job parseShowJob(String text) {
    Map<Integer, State> tasks = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      String state = field(line, "JobState");
      if (state == null) {
        continue;
      }
      Integer code = null;
      Integer signal = null;
      String exit = field(line, "ExitCode");
      Matcher m = exit == null ? null : EXIT.matcher(exit);
      if (m != null && m.matches()) {
        code = Integer.parseInt(m.group(1));
        signal = Integer.parseInt(m.group(2));
      }
      String reason = field(line, "Reason");
      State s = new State(state, code, signal, reason == null || reason.equals("None") ? null : reason);
      String taskSpec = field(line, "ArrayTaskId");
      if (taskSpec == null || taskSpec.isEmpty()) {
        tasks.put(NO_TASK, s);
      } else {
        for (int t : taskIndices(taskSpec)) {
          tasks.put(t, s);
        }
      }
    }
    return new Job(true, Map.copyOf(tasks));
  }

  /** The indices of an array task list such as {@code 3}, {@code 2-5%2}, {@code 1,4-8:2}. */
  static List<Integer> taskIndices(String spec) {
    String list = spec.contains("%") ? spec.substring(0, spec.indexOf('%')) : spec;
    List<Integer> out = new ArrayList<>();
    for (String part : list.split(",")) {
      if (part.isBlank()) {
        continue;
      }
      int step = 1;
      String range = part;
      if (part.contains(":")) {
        step = Math.max(1, Integer.parseInt(part.substring(part.indexOf(':') + 1)));
        range = part.substring(0, part.indexOf(':'));
      }
      int dash = range.indexOf('-');
      int from = Integer.parseInt(dash < 0 ? range : range.substring(0, dash));
      int to = dash < 0 ? from : Integer.parseInt(range.substring(dash + 1));
      for (int i = from; i <= to; i += step) {
        out.add(i);
      }
    }
    return out;
  }

  @Override
  public Optional<State> accounting(String jobId, Integer task, String rawJobId) throws IOException {
    String id = task == null ? jobId : jobId + "_" + task;
    Output out = runner.run(List.of("sacct", "-n", "-P", "-X", "-j", id, "-o", "JobID,State,ExitCode"), tmp());
    if (out.code() == 0) {
      Optional<State> s = parseSacct(out.stdout(), id);
      if (s.isPresent()) {
        return s;
      }
    }
    // No accounting daemon: the job-completion file knows each job (and each array task) by its raw id.
    String raw = rawJobId != null ? rawJobId : task == null ? jobId : null;
    if (raw == null) {
      return Optional.empty();
    }
    out = runner.run(List.of("sacct", "-c", "-n", "-P", "-j", raw, "-o", "JobID,State,ExitCode"), tmp());
    return out.code() == 0 ? parseSacct(out.stdout(), raw) : Optional.empty();
  }

  /** The state of job {@code id} in {@code sacct -n -P -o JobID,State,ExitCode}'s answer. */
  static Optional<State> parseSacct(String text, String id) {
    State found = null;
    for (String line : text.lines().toList()) {
      String[] f = line.split("\\|", -1);
      if (f.length < 3 || !f[0].strip().equals(id)) {
        continue;
      }
      // "CANCELLED by 0": the state is the first word.
      String[] words = f[1].strip().split("\\s+", 2);
      Matcher m = EXIT.matcher(f[2].strip());
      Integer code = m.matches() ? Integer.parseInt(m.group(1)) : null;
      Integer signal = m.matches() ? Integer.parseInt(m.group(2)) : null;
      found = new State(words[0], code, signal, words.length > 1 ? words[1] : null);
    }
    return Optional.ofNullable(found);
  }

  @Override
  public void cancel(String jobId, Integer task) throws IOException {
    Output out = runner.run(List.of("scancel", task == null ? jobId : jobId + "_" + task), tmp());
    if (out.code() != 0) {
      throw new SlurmException("scancel " + jobId + ": " + out.words());
    }
  }

  /** The value of {@code key} in a {@code Key=Value Key=Value} line (its first occurrence), or null. */
  static String field(String line, String key) {
    Matcher m = Pattern.compile("(?:^|\\s)" + Pattern.quote(key) + "=(\\S*)").matcher(line);
    return m.find() ? m.group(1) : null;
  }

  private static Path tmp() {
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Runs a command with this machine's programs, at most {@link #TIMEOUT_SECONDS}. */
  static Output exec(List<String> command, Path workDir) throws IOException {
    Programs.Result r;
    try {
      r = Programs.system().run(command, workDir, Duration.ofSeconds(TIMEOUT_SECONDS));
    } catch (IOException e) {
      throw new SlurmException(command.get(0) + " could not be started: " + e.getMessage());
    }
    if (r.code() == -1) {
      throw new SlurmException(String.join(" ", command) + " did not answer within " + TIMEOUT_SECONDS + " s");
    }
    return new Output(r.code(), r.stdout(), r.stderr());
  }
}
