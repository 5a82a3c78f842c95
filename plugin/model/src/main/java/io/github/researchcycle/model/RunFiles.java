package io.github.researchcycle.model;

/**
 * The names of the files and folders of the run-folder and ledger contract, in one place: the
 * plugin and the training process both read and write them.
 */
public final class RunFiles {
  /** The folder of the research repository that holds one folder per run. */
  public static final String RUNS = "runs";
  /** The run's record inside a run folder. */
  public static final String RUN_JSON = "run.json";
  /** The metric lines of a run, appended and flushed by the training process. */
  public static final String METRICS = "metrics.jsonl";
  /** The metric lines of an interrupted attempt: {@code metrics.attempt-N.jsonl}. */
  public static final String METRICS_ATTEMPT_PREFIX = "metrics.attempt-";
  /** The environment the training process writes about itself. */
  public static final String ENVIRONMENT = "environment.json";
  /** The console of the run. */
  public static final String OUTPUT_LOG = "output.log";
  /** Checkpoints, predictions, plots. */
  public static final String ARTIFACTS = "artifacts";
  /** The folder under {@link #ARTIFACTS} that holds the checkpoints. */
  public static final String CHECKPOINTS = "checkpoints";
  /** The marker file written last into a checkpoint folder. */
  public static final String CHECKPOINT_STATE = "state.json";
  /** The result of re-running a recorded run. */
  public static final String VERIFICATION = "verification.json";
  /** The local launch script kept with a run. */
  public static final String LAUNCH_SCRIPT = "launch.sh";
  /** The file the live training process holds a lock on while it runs. */
  public static final String LIVE_LOCK = ".live.lock";

  /** The folder of the research repository that holds the plugin's own committed records. */
  public static final String RESEARCH_DIR = ".research";
  /** The hash-chained, append-only ledger, relative to the research folder. */
  public static final String LEDGER = RESEARCH_DIR + "/ledger.jsonl";

  private RunFiles() {}
}
