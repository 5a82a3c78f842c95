package io.github.researchcycle.core.launch;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.github.researchcycle.core.data.DataService;
import io.github.researchcycle.model.Json;
import io.github.researchcycle.model.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLWriteFeature;

/**
 * The {@code batch/v1} Job that runs one run, or an Indexed Job that runs several (one completion
 * index per run), built with the typed Kubernetes model and written as YAML.
 *
 * <p>The pod runs a fixed POSIX {@code sh} script ({@link #ENTRY_SCRIPT}) whose arguments are the
 * data: pairs of run folder and run record, one pair per completion index, then {@code --} and
 * the training command. No value is ever part of a shell string, so an experiment named
 * {@code a b'c;$x} stays one literal argument; its name is shown in an annotation, and the Job's
 * name is a DNS label made from it. Kubernetes' own {@code $(NAME)} expansion in commands,
 * arguments and environment values is escaped ({@link #literal}).
 */
public final class KubernetesJobs {
  /** The manifest kept in each run folder. */
  public static final String MANIFEST = "job.yaml";
  /** The project's folder in the image when the profile does not say. */
  public static final String DEFAULT_WORK_DIR = "/workspace";
  /** The extended resource that counts GPUs when the profile does not say. */
  public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
  /** The prefix of this tool's labels and annotations. */
  public static final String PREFIX = "researchcycle.github.io/";
  /** The label with the run id (the first run's, for an array). */
  public static final String RUN_LABEL = PREFIX + "run-id";
  /** The annotation with the experiment's name as written. */
  public static final String EXPERIMENT_ANNOTATION = PREFIX + "experiment";
  /** The annotation with the run ids, in completion-index order, separated by spaces. */
  public static final String RUNS_ANNOTATION = PREFIX + "run-ids";
  /** The folder of the data sets in the image: {@code WORKDIR/data-cache/NAME}. */
  public static final String DATA_FOLDER = "data-cache";

  /**
   * The container's entry script: picks the run folder of {@code JOB_COMPLETION_INDEX} (0 for a
   * plain Job), writes its record there unless the runs volume already has it, and runs the
   * training command with its console copied to the pod's log and the run's {@code output.log}.
   */
  public static final String ENTRY_SCRIPT = String.join("\n",
      "# Arguments: RUN_DIR RUN_JSON per completion index, then --, then the training command.",
      "set -u",
      "index=\"${JOB_COMPLETION_INDEX:-0}\"",
      "i=0",
      "dir=''",
      "record=''",
      "while [ \"$#\" -ge 2 ] && [ \"$1\" != '--' ]; do",
      "  if [ \"$i\" = \"$index\" ]; then dir=$1; record=$2; fi",
      "  i=$((i + 1))",
      "  shift 2",
      "done",
      "if [ \"$#\" -lt 2 ] || [ \"$1\" != '--' ] || [ -z \"$dir\" ]; then",
      "  echo \"research-cycle: no run folder for completion index $index\" >&2",
      "  exit 2",
      "fi",
      "shift",
      "java=$1",
      "shift",
      "mkdir -p \"$dir\" || exit 2",
      "[ -f \"$dir/run.json\" ] || printf '%s\\n' \"$record\" > \"$dir/run.json\" || exit 2",
      "# POSIX sh has no pipefail: the command's exit code leaves the pipe on descriptor 4.",
      "exec 3>&1",
      "code=$( { { \"$java\" \"-D" + LaunchContext.RUN_DIR_PROPERTY + "=$dir\" \"$@\" 2>&1; echo \"$?\" >&4; }"
          + " | tee -a \"$dir/output.log\" >&3; } 4>&1 )",
      "exit \"${code:-1}\"",
      "");

  private KubernetesJobs() {}

  /**
   * What a Job is made of.
   *
   * @param name the Job's name (a DNS label)
   * @param profileName the launch profile's name
   * @param profile the launch profile (its {@code kubernetes} section, devices, cpus, memory, time)
   * @param experiment the experiment's name as written
   * @param pluginVersion this plugin's version
   * @param runs the runs, in completion-index order: their ids and records
   * @param command the training command inside the container, without its run folder
   * @param parallel how many pods of an Indexed Job run at once
   */
  public record Spec(String name, String profileName, LaunchProfile profile, String experiment, String pluginVersion,
      List<Run> runs, List<String> command, int parallel) {}

  /**
   * One run of a Job.
   *
   * @param id the run id
   * @param recordJson its {@code run.json}, as written before the launch
   */
  public record Run(String id, String recordJson) {}

  /** The project's folder in the image. */
  public static String workDir(LaunchProfile profile) {
    String w = profile.kubernetes() == null ? null : profile.kubernetes().workDir();
    return w == null ? DEFAULT_WORK_DIR : w.replaceAll("/+$", "").isEmpty() ? "/" : w.replaceAll("/+$", "");
  }

  /** The run folder of {@code runId} inside the container. */
  public static String runDir(LaunchProfile profile, String runId) {
    return join(workDir(profile), "runs/" + runId);
  }

  /**
   * The spec of the Job for {@code runs} of one launch: the training command for the container
   * ({@code java} of the image, the classpath {@code WORKDIR/target/classes:WORKDIR/target/dependency/*},
   * data sets under {@code WORKDIR/data-cache/NAME}).
   */
  public static Spec spec(LaunchContext context, List<RunRecord> runs) {
    LaunchProfile profile = context.profile();
    String work = workDir(profile);
    Map<String, String> properties = new TreeMap<>();
    context.properties().forEach((k, v) -> properties.put(k, k.startsWith(DataService.DIR_PROPERTY_PREFIX)
        ? join(work, DATA_FOLDER + "/" + k.substring(DataService.DIR_PROPERTY_PREFIX.length())) : v));
    RunRecord first = runs.get(0);
    String classpath = join(work, "target/classes") + ":" + join(work, "target/dependency/*");
    List<String> command = new ArrayList<>(LaunchContext.javaCommand(profile, "java", runDir(profile, first.id()),
        classpath, first.mainClass(), context.resuming(), false, properties));
    command.removeIf(a -> a.startsWith("-D" + LaunchContext.RUN_DIR_PROPERTY + "="));
    List<Run> list = new ArrayList<>();
    for (RunRecord r : runs) {
      list.add(new Run(r.id(), recordJson(r)));
    }
    // A resumed run is a new Job (a Job's pod template cannot be changed): its attempt goes into the name.
    int attempt = first.resumes() == null ? 0 : first.resumes().size();
    return new Spec(Names.job(first.experiment(), first.id() + (attempt == 0 ? "" : "-r" + attempt)),
        context.profileName(), profile, first.experiment(),
        String.valueOf(context.pluginVersion()), list, command, Math.max(1, context.parallel()));
  }

  /** The Job of {@code spec}: a plain Job for one run, an Indexed Job for several. */
  public static Job job(Spec spec) {
    LaunchProfile profile = spec.profile();
    LaunchProfile.Kubernetes k = profile.kubernetes() == null
        ? new LaunchProfile.Kubernetes(null, null, null, null, null, null, null) : profile.kubernetes();
    boolean indexed = spec.runs().size() > 1;
    String work = workDir(profile);

    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/managed-by", "research-cycle");
    labels.put(RUN_LABEL, spec.runs().get(0).id());
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(EXPERIMENT_ANNOTATION, spec.experiment());
    annotations.put(PREFIX + "profile", spec.profileName());
    annotations.put(RUNS_ANNOTATION, String.join(" ", spec.runs().stream().map(Run::id).toList()));
    annotations.put(PREFIX + "plugin-version", spec.pluginVersion());

    List<String> args = new ArrayList<>();
    args.add("research-run");
    for (Run r : spec.runs()) {
      args.add(runDir(profile, r.id()));
      args.add(r.recordJson());
    }
    args.add("--");
    args.addAll(spec.command());

    Map<String, Quantity> requests = new TreeMap<>();
    Map<String, Quantity> limits = new TreeMap<>();
    if (profile.cpus() != null) {
      requests.put("cpu", new Quantity(String.valueOf(profile.cpus())));
      limits.put("cpu", new Quantity(String.valueOf(profile.cpus())));
    }
    if (profile.memory() != null) {
      requests.put("memory", new Quantity(memory(profile.memory())));
      limits.put("memory", new Quantity(memory(profile.memory())));
    }
    if (profile.gpus() > 0) {
      limits.put(k.gpuResource() == null ? DEFAULT_GPU_RESOURCE : k.gpuResource(),
          new Quantity(String.valueOf(profile.gpus())));
    }

    List<EnvVar> env = new ArrayList<>();
    new TreeMap<>(profile.envOrEmpty()).forEach((n, v) -> env.add(new EnvVar(n, literal(v), null)));

    Volume runs = k.runsClaim() != null
        ? new VolumeBuilder().withName("runs").withNewPersistentVolumeClaim().withClaimName(k.runsClaim())
            .endPersistentVolumeClaim().build()
        : new VolumeBuilder().withName("runs").withNewEmptyDir().endEmptyDir().build();

    var container = new ContainerBuilder()
        .withName("train")
        .withImage(k.image())
        .withImagePullPolicy(k.imagePullPolicy())
        .withWorkingDir(work)
        .withCommand("/bin/sh", "-c", literal(ENTRY_SCRIPT))
        .withArgs(args.stream().map(KubernetesJobs::literal).toList())
        .withEnv(env.isEmpty() ? null : env)
        .withResources(requests.isEmpty() && limits.isEmpty() ? null
            : new ResourceRequirementsBuilder().withRequests(requests.isEmpty() ? null : requests)
                .withLimits(limits.isEmpty() ? null : limits).build())
        .addNewVolumeMount().withName("runs").withMountPath(join(work, "runs")).endVolumeMount()
        .build();

    Long seconds = TimeLimits.seconds(profile.timeLimit());
    int parallel = Math.min(spec.parallel(), spec.runs().size());
    if (seconds != null && indexed) {
      // The deadline covers the whole Job: as many time limits as there are waves of pods.
      seconds = seconds * ((spec.runs().size() + parallel - 1) / parallel);
    }
    JobSpecBuilder jobSpec = new JobSpecBuilder()
        .withActiveDeadlineSeconds(seconds)
        .withNewTemplate()
          .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
          .withNewSpec()
            .withRestartPolicy("Never")
            .withServiceAccountName(k.serviceAccount())
            .withContainers(container)
            .withVolumes(runs)
          .endSpec()
        .endTemplate();
    if (indexed) {
      // Each run fails on its own: one failed seed does not stop the others.
      jobSpec.withCompletionMode("Indexed").withCompletions(spec.runs().size()).withParallelism(parallel)
          .withBackoffLimitPerIndex(0);
    } else {
      jobSpec.withBackoffLimit(0);
    }
    return new JobBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withNewMetadata()
          .withName(spec.name())
          .withNamespace(k.namespace())
          .withLabels(labels)
          .withAnnotations(annotations)
        .endMetadata()
        .withSpec(jobSpec.build())
        .build();
  }

  /**
   * {@code text} as Kubernetes reads it literally in a container's command, arguments and
   * environment values, where it expands {@code $(NAME)} and reads {@code $$} as {@code $}: each
   * {@code $} before a {@code $} or a {@code (} is doubled.
   */
  public static String literal(String text) {
    StringBuilder out = new StringBuilder(text.length() + 8);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      out.append(c);
      if (c == '$' && i + 1 < text.length() && (text.charAt(i + 1) == '$' || text.charAt(i + 1) == '(')) {
        out.append('$');
      }
    }
    return out.toString();
  }

  /**
   * A profile's {@code memory} as a Kubernetes quantity. Units are read as Slurm reads them, in
   * powers of 1024: {@code 8G} is {@code 8Gi}; a bare number is mebibytes.
   */
  public static String memory(String memory) {
    String m = memory.trim();
    char last = m.charAt(m.length() - 1);
    if (Character.isDigit(last)) {
      return m + "Mi";
    }
    return m.substring(0, m.length() - 1) + Character.toUpperCase(last) + "i";
  }

  /**
   * The manifest as YAML: every one-line string in double quotes (so that {@code yes} or
   * {@code 010} stay strings), the entry script as a literal block.
   */
  public static String yaml(Job job) {
    return WRITER.writeValueAsString(job);
  }

  /** A Job read from YAML; fields the model does not know are kept in its additional properties. */
  public static Job read(String yaml) {
    return WRITER.readValue(yaml, Job.class);
  }

  /**
   * A Job read from YAML, refusing any field the typed model does not know, with its path (for
   * example {@code spec.template.spec.containers[0].imagePullPolicyy}).
   *
   * @throws tools.jackson.databind.DatabindException for an unknown field
   */
  public static Job readStrict(String yaml) {
    return STRICT.readValue(yaml, Job.class);
  }

  private static final YAMLMapper WRITER = YAMLMapper.builder()
      .disable(YAMLWriteFeature.SPLIT_LINES)
      .disable(YAMLWriteFeature.MINIMIZE_QUOTES)
      .enable(YAMLWriteFeature.LITERAL_BLOCK_STYLE)
      .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_EMPTY))
      .build();

  /** The model keeps unknown fields through its "any setter": without it, Jackson refuses them. */
  private static final YAMLMapper STRICT = YAMLMapper.builder()
      .annotationIntrospector(new NoAnySetter())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private static final class NoAnySetter extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
      return Boolean.FALSE;
    }
  }

  /** The record's JSON on one line, as the pod writes it into a fresh run folder. */
  private static String recordJson(RunRecord r) {
    try {
      return Json.mapper().writer()
          .without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("run record " + r.id() + " cannot be written as JSON", e);
    }
  }

  private static String join(String dir, String rel) {
    return dir.endsWith("/") ? dir + rel : dir + "/" + rel;
  }
}
