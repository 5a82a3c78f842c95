package io.github.researchcycle.maven;

import io.github.researchcycle.core.verify.VerifyService;

/** Every user property of the plugin, in one place; all live under {@code research.}. */
public final class PropertyNames {
  /** The experiment to run. */
  public static final String EXPERIMENT = "research.experiment";
  /** The launch profile. */
  public static final String PROFILE = "research.profile";
  /** Config overrides, {@code key=value} separated by commas. */
  public static final String SET = "research.set";
  /** The first seed. */
  public static final String SEED = "research.seed";
  /** How many seeds to run. */
  public static final String SEEDS = "research.seeds";
  /** Whether to allow a run on uncommitted changes. */
  public static final String ALLOW_DIRTY = "research.allowDirty";
  /** A run id to resume. */
  public static final String RESUME = "research.resume";
  /** The text of a journal note. */
  public static final String MESSAGE = "research.message";
  /** A status filter. */
  public static final String STATUS = "research.status";
  /** An output format. */
  public static final String FORMAT = "research.format";
  /** A run id to act on. */
  public static final String RUN = "research.run";
  /** The tolerance of a verification. */
  public static final String TOLERANCE = "research.tolerance";
  /** Rewrite the README's results table. */
  public static final String UPDATE_README = "research.updateReadme";
  /** research:publish: the folder that keeps a committed copy of the rendering. */
  public static final String COPY_TO = "research.copyTo";
  /** research:publish: put the files of data sets kept outside the repository into the bundle (licence allowing). */
  public static final String BUNDLE_DATA = "research.bundle.data";
  /** research:publish: compare the kept rendering with the run records instead of publishing. */
  public static final String CHECK = "research.check";
  /** A name (the publication tag's prefix). */
  public static final String NAME = "research.name";
  /** The experiments to reproduce. */
  public static final String SUBSET = "research.subset";
  /** Skip the goal. */
  public static final String SKIP = "research.skip";
  /** research:data: fetch (materialise) the data sets into the cache. */
  public static final String DATA_FETCH = "research.data.fetch";
  /** research:data: the data sets to act on, names separated by commas (default: all). */
  public static final String DATA_NAME = "research.data.name";
  /** research:data and research:run: {@code fast} (trust size, mtime and recorded sha256) or {@code full}. */
  public static final String DATA_VERIFY = "research.data.verify";
  /** The data cache shared by research repositories (also read from the environment, RESEARCH_DATA_CACHE). */
  public static final String DATA_CACHE = "research.data.cache";
  /** research:data: a local CSV file to write a manifest data/NAME.yaml for. */
  public static final String DATA_ADD = "research.data.add";
  /** research:data with research.data.add: the label column, a header name or an index (default: the last). */
  public static final String DATA_LABEL = "research.data.label";
  /** research:data with research.data.add: overwrite an existing manifest of that name. */
  public static final String DATA_FORCE = "research.data.force";

  private PropertyNames() {}
  /** Whether to follow scheduled runs to their end. */
  public static final String WAIT = "research.wait";
  /** Write launch files only. */
  public static final String DRY_RUN = "research.dryRun";
  /** Runs at once. */
  public static final String PARALLEL = "research.parallel";
  /** The first learning rate of a range test. */
  public static final String LR_FIND_MIN = "research.lrFind.min";
  /** The last learning rate of a range test. */
  public static final String LR_FIND_MAX = "research.lrFind.max";
  /** The optimizer steps of a range test. */
  public static final String LR_FIND_STEPS = "research.lrFind.steps";
  /** The config key of the experiment's learning rate. */
  public static final String LR_KEY = "research.lrKey";
  /** research:classpath: the file that receives the runtime classpath. */
  public static final String CLASSPATH_FILE = VerifyService.CLASSPATH_FILE_PROPERTY;
  /** A sweep's grid. */
  public static final String GRID = "research.grid";
  /** Why a run is deleted, in the researcher's words (research:delete). */
  public static final String REASON = "research.reason";
  /** Enter runs made before the ledger existed, saying so (research:audit). */
  public static final String AUDIT_ADOPT = "research.audit.adopt";
}
